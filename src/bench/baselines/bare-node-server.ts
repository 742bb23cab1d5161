// The baseline of `gomall bench --baseline bare`: the least a node:http server can do for the
// seckill request — read the body, answer the envelope of a 202 — so POST /api/seckill reads
// as a fraction of what node itself gives on this machine, under the same load tool.
// Run by the bench as a child process: node [tsx] bare-node-server.{ts,js}.
import type { RequestListener } from 'node:http';
import { serveBaseline } from './serve-baseline.js';

const answer = (body: object) => {
  const text = JSON.stringify(body);
  return { text, length: String(Buffer.byteLength(text)) };
};
const queued = answer({ code: 202, msg: 'queued', data: { status: 'queued', order_no: 'bare' } });
const ready = answer({ code: 200, msg: 'ok', data: { status: 'ready' } });

const listener: RequestListener = (req, res) => {
  req.resume();
  req.on('end', () => {
    const post = req.method === 'POST';
    const { text, length } = post ? queued : ready;
    res.writeHead(post ? 202 : 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': length,
    });
    res.end(text);
  });
};

serveBaseline(listener);
