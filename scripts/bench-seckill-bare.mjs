// The baseline of `npm run bench:seckill`: the least a node:http server can do for a JSON
// POST (read the body, answer an envelope). gomall's POST /api/seckill is measured against
// it in the same run, with the same load tool and the same request.
import { createServer } from 'node:http';

const body = JSON.stringify({ code: 200, msg: 'ok', data: null });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
