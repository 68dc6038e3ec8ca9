import { logs, SeverityNumber, type LogAttributes, type LogRecord } from '@opentelemetry/api-logs';

/**
 * Telemetry to Application Insights through OpenTelemetry (Microsoft's Azure Monitor
 * distribution), when `APPLICATIONINSIGHTS_CONNECTION_STRING` is set.
 *
 * What goes there: every incoming request (`POST /api/messages`, `/healthz`) and every outgoing
 * call (the Bot Connector, Table and Queue storage) as requests and dependencies with their
 * durations, standard metrics, and every line of the app's one logger as a trace (an `err` field
 * becomes an exception), carrying its fields (the activity or job id, the component) as custom
 * dimensions and the operation id of the request it was written in.
 *
 * Nothing here changes how the app logs: the JSON lines still go to standard error (App
 * Service's log stream shows them); the logger hands each line to `logSink` as well.
 */
export interface Telemetry {
  /** Receives each JSON log line to send on; undefined when telemetry is off. */
  readonly logSink?: { write(line: string): void };
  /** Sends what is still buffered and stops. Safe to call twice, and when telemetry is off. */
  shutdown(): Promise<void>;
}

export interface TelemetrySettings {
  readonly connectionString?: string;
}

/** The name Application Insights shows as the source of the traces. */
const INSTRUMENTATION_SCOPE = 'action-plan-bot';

/**
 * Starts telemetry, or does nothing without a connection string. Call it before the web server
 * and the SDKs are loaded: OpenTelemetry traces HTTP by hooking the modules as they load.
 */
export function startTelemetry(settings: TelemetrySettings): Telemetry {
  const connectionString = settings.connectionString;
  if (!connectionString) return { shutdown: () => Promise.resolve() };

  // Loaded only when wanted: the distribution takes most of a second to load.
  const azureMonitor =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  azureMonitor.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // Everything, not the distribution's default of 5 traces a second: the bot's traffic is one
    // organisation's people, and a sampled-out turn would take its log lines with it.
    samplingRatio: 1,
    tracesPerSecond: 0,
    // Live Metrics keeps its own connection open for a portal page few people watch.
    enableLiveMetrics: false,
  });
  const logger = logs.getLogger(INSTRUMENTATION_SCOPE);
  let stopping: Promise<void> | undefined;
  return {
    logSink: { write: (line) => logger.emit(logRecordOf(line)) },
    shutdown: () => (stopping ??= azureMonitor.shutdownAzureMonitor()),
  };
}

/** pino's numeric levels and OpenTelemetry's severities. */
const SEVERITIES: ReadonlyArray<readonly [number, SeverityNumber, string]> = [
  [60, SeverityNumber.FATAL, 'FATAL'],
  [50, SeverityNumber.ERROR, 'ERROR'],
  [40, SeverityNumber.WARN, 'WARN'],
  [30, SeverityNumber.INFO, 'INFO'],
  [20, SeverityNumber.DEBUG, 'DEBUG'],
  [0, SeverityNumber.TRACE, 'TRACE'],
];

/** Fields every line has that say nothing a trace does not already carry. */
const DROPPED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

/**
 * One of the logger's JSON lines as an OpenTelemetry log record: the message is the body, the
 * level the severity, the time the timestamp, every other field an attribute (objects as JSON),
 * and an `err` field the `exception.*` attributes that Application Insights shows as an exception.
 * A line that is not JSON is sent as it is, at INFO.
 */
export function logRecordOf(line: string): LogRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: line.trimEnd() };
  }
  const fields = parsed as Record<string, unknown>;
  const level = typeof fields.level === 'number' ? fields.level : 30;
  const [, severityNumber, severityText] =
    SEVERITIES.find(([min]) => level >= min) ?? SEVERITIES[3]!;
  const attributes: LogAttributes = {};
  for (const [key, value] of Object.entries(fields)) {
    if (DROPPED.has(key) || value === undefined || value === null) continue;
    attributes[key] =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : JSON.stringify(value);
  }
  const err = fields.err;
  if (typeof err === 'object' && err !== null) {
    const e = err as { type?: unknown; message?: unknown; stack?: unknown };
    if (typeof e.type === 'string') attributes['exception.type'] = e.type;
    if (typeof e.message === 'string') attributes['exception.message'] = e.message;
    if (typeof e.stack === 'string') attributes['exception.stacktrace'] = e.stack;
  }
  return {
    severityNumber,
    severityText,
    body: typeof fields.msg === 'string' ? fields.msg : '',
    attributes,
    ...(typeof fields.time === 'number' ? { timestamp: fields.time } : {}),
  };
}
