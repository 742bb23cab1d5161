import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import type { Reason } from '../errors/reason.js';

/** The body of every JSON answer, as GoMall shapes it. */
export interface Envelope<T> {
  code: number;
  msg: string;
  data: T | null;
  reason?: Reason;
}

export function envelope<T>(code: number, data: T, msg = 'ok'): Envelope<T> {
  return { code, msg, data };
}

export function errorEnvelope(code: number, reason: Reason, msg: string): Envelope<null> {
  return { code, msg, data: null, reason };
}

export function send<T>(res: Response, code: number, data: T, msg?: string): void {
  res.status(code).json(envelope(code, data, msg ?? STATUS_CODES[code]?.toLowerCase() ?? 'ok'));
}
