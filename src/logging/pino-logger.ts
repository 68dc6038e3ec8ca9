import pino from 'pino';
import type { Logger } from '../ports/logger.js';

/**
 * The one logger: structured JSON lines. It writes to standard error so that a command's own
 * output (`--json`) on standard output stays clean.
 */
export function createLogger(level: string, base: object = {}): Logger {
  return wrap(pino({ level, base: { ...base } }, pino.destination(2)));
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (fields, message) => p.debug(fields, message),
    info: (fields, message) => p.info(fields, message),
    warn: (fields, message) => p.warn(fields, message),
    error: (fields, message) => p.error(fields, message),
    child: (fields) => wrap(p.child(fields)),
  };
}
