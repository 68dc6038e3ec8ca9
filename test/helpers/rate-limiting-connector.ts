import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, readBody, sendJson as send } from './loopback-http.js';

/**
 * A loopback Bot Connector that behaves like Teams under load: it enforces Teams' rate limits
 * (50 requests a second per tenant; per conversation 7 a second, 8 in 2 seconds, 60 in 30
 * seconds, 1,800 an hour) and answers 429 with `Retry-After` beyond them, and it can be told to
 * add latency, or to answer chosen conversations with 5xx, 412, 403 or 404, or not at all (a
 * timeout), for a number of requests. Everything is recorded: each request with its answer, and
 * each message it accepted. Routes: proactive sends (`POST /v3/conversations/{id}/activities`,
 * or `…/activities/{replyToId}`), new 1:1 chats (`POST /v3/conversations`), updates
 * (`PUT …/activities/{id}`).
 */

export interface Window {
  readonly limit: number;
  readonly ms: number;
}

export interface RateLimitingConnectorOptions {
  /** Added before every answer. */
  readonly latencyMs?: number;
  readonly tenantWindows?: readonly Window[];
  readonly conversationWindows?: readonly Window[];
  /** What a 429 asks for, in seconds. */
  readonly retryAfterSeconds?: number;
}

/** One message the connector accepted (answered 200). */
export interface Delivered {
  readonly conversationId: string;
  readonly activityId: string;
  readonly tenant: string;
  /** Arrival, epoch ms. */
  readonly at: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an activity, as JSON
  readonly body: any;
}

/** Every request, with what it was answered. */
export interface Attempt {
  readonly method: string;
  readonly path: string;
  readonly conversationId?: string;
  readonly tenant: string;
  readonly at: number;
  /** The activity's `summary` (proactive sends carry one), to tell a retry from another send. */
  readonly summary?: string;
  /** 0: never answered (a timeout). */
  readonly status: number;
}

export type Fault =
  | { readonly status: 403 | 404 | 412 | 500 | 502 | 503 | 504; readonly code?: string }
  | { readonly status: 429; readonly retryAfterSeconds?: number }
  | { readonly status: 'hang' };

export interface RateLimitingConnector {
  /** The serviceUrl: `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly delivered: readonly Delivered[];
  readonly attempts: readonly Attempt[];
  /** Answers the next `times` requests to `conversationId` ('*': any) with `fault`. */
  inject(conversationId: string, fault: Fault, times?: number): void;
  setLatency(ms: number): void;
  /** Requests answered 429 because a limit was passed (not injected ones). */
  limitHits(): number;
  clear(): void;
  close(): Promise<void>;
}

export const TEAMS_LIMITS = {
  tenant: [{ limit: 50, ms: 1000 }],
  conversation: [
    { limit: 7, ms: 1000 },
    { limit: 8, ms: 2000 },
    { limit: 60, ms: 30_000 },
    { limit: 1800, ms: 3_600_000 },
  ],
} as const;

const ERROR_CODES: Record<number, string> = {
  403: 'ConversationBlockedByUser',
  404: 'ConversationNotFound',
  412: 'PreconditionFailed',
  429: 'Throttled',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

export async function startRateLimitingConnector(
  options: RateLimitingConnectorOptions = {},
): Promise<RateLimitingConnector> {
  let latency = options.latencyMs ?? 0;
  const tenantWindows = options.tenantWindows ?? TEAMS_LIMITS.tenant;
  const conversationWindows = options.conversationWindows ?? TEAMS_LIMITS.conversation;
  const retryAfter = options.retryAfterSeconds ?? 1;
  const delivered: Delivered[] = [];
  const attempts: Attempt[] = [];
  const faults = new Map<string, { fault: Fault; left: number }[]>();
  const logs = new Map<string, number[]>();
  const hanging = new Set<ServerResponse>();
  let hits = 0;
  let nextId = 1;

  /** Counts the request against each window; false when one is already full. */
  const admit = (key: string, windows: readonly Window[], now: number): boolean => {
    const log = logs.get(key) ?? [];
    logs.set(key, log);
    const longest = Math.max(...windows.map((w) => w.ms));
    while (log.length > 0 && log[0]! <= now - longest) log.shift();
    for (const w of windows) {
      if (log.filter((t) => t > now - w.ms).length >= w.limit) return false;
    }
    return true;
  };

  const takeFault = (conversationId: string | undefined): Fault | undefined => {
    for (const key of [conversationId ?? '', '*']) {
      const list = faults.get(key);
      const first = list?.[0];
      if (first) {
        first.left -= 1;
        if (first.left <= 0) list!.shift();
        return first.fault;
      }
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { error: { code: 'FakeConnectorError', message: String(error) } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const now = Date.now();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const parts = path
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an activity, as JSON
    const body: any = text ? JSON.parse(text) : {};
    const tenant = String(
      body?.conversation?.tenantId ?? body?.channelData?.tenant?.id ?? body?.tenantId ?? 'default',
    ).toLowerCase();
    const isCreate = req.method === 'POST' && parts.length === 2 && parts[1] === 'conversations';
    const conversationId = isCreate ? undefined : parts[2];
    const record = (status: number) =>
      attempts.push({
        method: req.method ?? '',
        path,
        ...(conversationId ? { conversationId } : {}),
        tenant,
        at: now,
        ...(typeof body?.summary === 'string' ? { summary: body.summary } : {}),
        status,
      });
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') {
      record(404);
      return send(res, 404, { error: { code: 'NotFound', message: path } });
    }

    const fault = takeFault(conversationId);
    if (fault?.status === 'hang') {
      record(0);
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (fault) {
      record(fault.status);
      await wait(latency);
      if (fault.status === 429) {
        return send(
          res,
          429,
          { error: { code: 'Throttled', message: 'Too many requests.' } },
          { 'retry-after': String(fault.retryAfterSeconds ?? retryAfter) },
        );
      }
      const code = ('code' in fault && fault.code) || ERROR_CODES[fault.status] || 'Error';
      return send(res, fault.status, { error: { code, message: `Injected ${fault.status}.` } });
    }

    const conversationKey = `c:${tenant}:${conversationId ?? 'new'}`;
    const tenantOk = admit(`t:${tenant}`, tenantWindows, now);
    const conversationOk = isCreate || admit(conversationKey, conversationWindows, now);
    if (!tenantOk || !conversationOk) {
      hits++;
      record(429);
      await wait(latency);
      return send(
        res,
        429,
        { error: { code: 'Throttled', message: 'Too many requests.' } },
        { 'retry-after': String(retryAfter) },
      );
    }
    logs.get(`t:${tenant}`)!.push(now);
    if (!isCreate) logs.get(conversationKey)!.push(now);
    record(200);
    await wait(latency);

    const id = `activity-${nextId++}`;
    if (isCreate) return send(res, 200, { id: `a:created-${id}`, activityId: id });
    // A new message, or one sent as a reply (botbuilder's continueConversation does that).
    if (req.method === 'POST' && parts[3] === 'activities' && parts.length <= 5) {
      delivered.push({ conversationId: conversationId!, activityId: id, tenant, at: now, body });
      return send(res, 200, { id });
    }
    if (req.method === 'PUT' && parts[3] === 'activities' && parts[4]) {
      return send(res, 200, { id: parts[4] });
    }
    return send(res, 404, { error: { code: 'NotFound', message: path } });
  }

  const url = await listenOnLoopback(server);

  return {
    url,
    delivered,
    attempts,
    inject(conversationId, fault, times = 1) {
      const list = faults.get(conversationId) ?? [];
      list.push({ fault, left: times });
      faults.set(conversationId, list);
    },
    setLatency(ms) {
      latency = ms;
    },
    limitHits: () => hits,
    clear() {
      delivered.length = 0;
      attempts.length = 0;
      faults.clear();
      logs.clear();
      hits = 0;
    },
    close: () => {
      for (const res of hanging) res.destroy();
      return closeServer(server);
    },
  };
}

const wait = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((done) => setTimeout(done, ms)) : Promise.resolve();
