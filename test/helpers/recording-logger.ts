import type { Logger } from '../../src/ports/logger.js';

/** One line a recording logger was given, with the fields of every child it came through. */
export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps every line in `logs`, for tests that assert what was logged. */
export function recordingLogger(logs: LogRecord[], bound: Record<string, unknown> = {}): Logger {
  const at =
    (level: LogRecord['level']) =>
    (fields: object, message: string): void => {
      logs.push({ level, message, fields: { ...bound, ...fields } });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => recordingLogger(logs, { ...bound, ...fields }),
  };
}
