import { destination, pino, stdTimeFunctions, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks before a line is written. Passwords can arrive in request bodies
 * (register, login) and in config objects; tokens in the Authorization header.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  '*.*.password',
  'secret',
  '*.secret',
  '*.*.secret',
  'token',
  '*.token',
  'password_hash',
  '*.password_hash',
];

export interface LoggerOptions {
  level: string;
  name?: string;
  /** Where lines go; stdout when absent. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'gomall',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: { pid: process.pid },
      timestamp: stdTimeFunctions.isoTime,
    },
    options.destination ?? destination({ sync: false }),
  );
}
