import { SeverityNumber } from '@opentelemetry/api-logs';
import { createLogger } from '../../../src/logging/pino-logger.js';
import { logRecordOf, startTelemetry } from '../../../src/telemetry/azure-monitor-telemetry.js';

/**
 * The logger's JSON lines as Application Insights receives them (OpenTelemetry log records), and
 * the logger handing every line to the telemetry sink as well as to standard error.
 */

describe('logRecordOf: one JSON log line as an OpenTelemetry log record', () => {
  it('keeps the message, the level, the time and every field (the activity id among them)', () => {
    const line = JSON.stringify({
      level: 40,
      time: 1_700_000_000_000,
      pid: 42,
      hostname: 'web-1',
      app: 'actionplan',
      component: 'teams',
      activityId: 'f:1234',
      status: 401,
      tenant: { id: 't1' },
      msg: 'request refused: its token was not accepted',
    });
    expect(logRecordOf(line)).toEqual({
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: 'request refused: its token was not accepted',
      timestamp: 1_700_000_000_000,
      attributes: {
        app: 'actionplan',
        component: 'teams',
        activityId: 'f:1234',
        status: 401,
        tenant: '{"id":"t1"}',
      },
    });
  });

  it.each([
    [10, SeverityNumber.TRACE],
    [20, SeverityNumber.DEBUG],
    [30, SeverityNumber.INFO],
    [40, SeverityNumber.WARN],
    [50, SeverityNumber.ERROR],
    [60, SeverityNumber.FATAL],
  ])('maps level %i to severity %i', (level, severity) => {
    expect(logRecordOf(JSON.stringify({ level, msg: 'x' })).severityNumber).toBe(severity);
  });

  it('turns an err field into the exception attributes Application Insights shows', () => {
    const record = logRecordOf(
      JSON.stringify({
        level: 50,
        jobId: 'sweep-2026-03-01T09:00',
        err: { type: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at x.ts:1' },
        msg: 'could not answer a message',
      }),
    );
    expect(record.attributes).toEqual({
      jobId: 'sweep-2026-03-01T09:00',
      'exception.type': 'TypeError',
      'exception.message': 'boom',
      'exception.stacktrace': 'TypeError: boom\n    at x.ts:1',
    });
  });

  it('sends a line that is not JSON as it is', () => {
    expect(logRecordOf('plain words\n')).toEqual({
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: 'plain words',
    });
  });
});

describe('the logger with a telemetry sink', () => {
  it('hands the sink every line at or above its level, with the child’s fields', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { app: 'actionplan' }, { write: (l) => lines.push(l) });
    const turn = logger.child({ activityId: 'act-7' });
    turn.debug({}, 'not at info');
    turn.info({ scope: 'personal' }, 'answered');
    turn.error({ err: Object.assign(new Error('boom'), { stack: 'Error: boom' }) }, 'failed');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ app: 'actionplan', activityId: 'act-7', msg: 'answered' }),
      expect.objectContaining({
        activityId: 'act-7',
        msg: 'failed',
        err: expect.objectContaining({ type: 'Error', message: 'boom' }),
      }),
    ]);
  });

  it('stays silent at level silent', () => {
    const lines: string[] = [];
    const logger = createLogger('silent', {}, { write: (l) => lines.push(l) });
    logger.error({}, 'nobody hears this');
    expect(lines).toEqual([]);
  });
});

describe('startTelemetry', () => {
  it('does nothing, and gives no sink, without a connection string', async () => {
    const telemetry = startTelemetry({});
    expect(telemetry.logSink).toBeUndefined();
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
  });
});
