// Baseline 2: a flash sale done the way most tutorials do it, MySQL only: per request, in one
// transaction, a conditional `UPDATE stock = stock - 1 WHERE id = ? AND stock > 0` and an
// INSERT of the order row (a unique key on product and user refuses a second unit). Correct,
// but every buyer queues on the same row lock. Same JWT check and envelope as gomall's route.
// Run by the bench as a child process; GOMALL_BASELINE_SETTINGS holds the database, the JWT
// settings and the table names (in the environment, not in the process arguments).
import express from 'express';
import mysql, { type ResultSetHeader } from 'mysql2/promise';
import { createJwtCodec } from '../../auth/jwt.js';
import { newOrderNo } from '../../order/order-no.js';
import { SETTINGS_VAR, type NaiveSettings } from './naive-settings.js';
import { serveBaseline } from './serve-baseline.js';

const settings = JSON.parse(process.env[SETTINGS_VAR] ?? 'null') as NaiveSettings | null;
if (!settings) throw new Error(`${SETTINGS_VAR} is not set`);
const { stock, orders } = settings.tables;
if (![stock, orders].every((name) => /^\w+$/.test(name)))
  throw new Error('table names must be letters, digits and _');

const pool = mysql.createPool({
  host: settings.database.host,
  port: settings.database.port,
  user: settings.database.username,
  password: settings.database.password,
  database: settings.database.name,
  connectionLimit: settings.database.pool_max,
});
const jwt = createJwtCodec(settings.jwt);

const refuse = (res: express.Response, status: number, reason: string, msg: string) =>
  res.status(status).json({ code: status, msg, data: null, reason });

const app = express();
app.post('/api/seckill', express.json(), async (req, res) => {
  const principal = jwt.verify((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  if (!principal) return refuse(res, 401, 'UNAUTHORIZED', 'missing or invalid token');
  const productId = Number((req.body as { product_id?: unknown } | undefined)?.product_id);
  if (!Number.isSafeInteger(productId) || productId <= 0) {
    return refuse(res, 400, 'VALIDATION_ERROR', 'product_id: must be a positive integer');
  }
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    const [update] = await conn.execute<ResultSetHeader>(
      `UPDATE \`${stock}\` SET stock = stock - 1 WHERE id = ? AND stock > 0`,
      [productId],
    );
    if (update.affectedRows === 0) {
      await conn.rollback();
      return refuse(res, 409, 'SOLD_OUT', 'sold out');
    }
    const orderNo = newOrderNo();
    try {
      await conn.execute(
        `INSERT INTO \`${orders}\` (order_no, user_id, product_id) VALUES (?, ?, ?)`,
        [orderNo, principal.id, productId],
      );
    } catch (error) {
      if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') throw error;
      await conn.rollback();
      return refuse(res, 409, 'ALREADY_PURCHASED', 'already purchased');
    }
    await conn.commit();
    return res
      .status(202)
      .json({ code: 202, msg: 'queued', data: { status: 'queued', order_no: orderNo } });
  } catch {
    await conn.rollback().catch(() => undefined);
    return refuse(res, 500, 'INTERNAL', 'internal error');
  } finally {
    conn.release();
  }
});
app.get('/ready', (_req, res) => {
  res.json({ code: 200, msg: 'ok', data: { status: 'ready' } });
});
serveBaseline(app, () => pool.end());
