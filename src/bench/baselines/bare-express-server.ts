// Baseline 1: the fastest an express JSON route can answer here, the ceiling of any handler
// built on express. POST /api/seckill parses the JSON body and answers the envelope of a 202.
// Run by the bench as a child process: node [tsx] bare-express-server.{ts,js}.
import express from 'express';
import { serveBaseline } from './serve-baseline.js';

const app = express();
app.post('/api/seckill', express.json(), (_req, res) => {
  res
    .status(202)
    .json({ code: 202, msg: 'queued', data: { status: 'queued', order_no: 'baseline' } });
});
app.get('/ready', (_req, res) => {
  res.json({ code: 200, msg: 'ok', data: { status: 'ready' } });
});
serveBaseline(app);
