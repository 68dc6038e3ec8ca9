import pino from 'pino';
import type { Logger } from '../ports/logger.js';

/**
 * Somewhere else every log line goes too (each one JSON, as written to standard error): the
 * telemetry adapter sends them on to Application Insights.
 */
export interface LogSink {
  write(line: string): void;
}

/**
 * The one logger: structured JSON lines. It writes to standard error so that a command's own
 * output (`--json`) on standard output stays clean; with a `sink`, each line goes there as well.
 */
export function createLogger(level: string, base: object = {}, sink?: LogSink): Logger {
  const stderr = pino.destination(2);
  const destination = sink
    ? pino.multistream([
        { level: level as pino.Level, stream: stderr },
        { level: level as pino.Level, stream: sink },
      ])
    : stderr;
  return wrap(pino({ level, base: { ...base } }, destination));
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
