import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, readBody, sendJson as send } from './loopback-http.js';

/**
 * A loopback Bot Connector: what Teams' connector service does for a bot, on 127.0.0.1, recording
 * everything. The bot under test replies, sends and updates here (its activities carry this
 * server as their `serviceUrl`), looks members up here, and in authenticated mode fetches its
 * outbound token here. Routes follow the Bot Connector REST API (v3), as the Bot Framework
 * Emulator serves them.
 */

/** A member as `GET /v3/conversations/{id}/members/{userId}` returns them (TeamsChannelAccount). */
export interface FakeMember {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId?: string;
  readonly email?: string;
  readonly userPrincipalName?: string;
  readonly tenantId?: string;
}

export type RecordedKind = 'reply' | 'send' | 'update' | 'createConversation';

/** One POST or PUT the bot made under /v3/conversations. */
export interface RecordedRequest {
  readonly kind: RecordedKind;
  readonly method: string;
  readonly path: string;
  /** The conversation written to (absent for createConversation). */
  readonly conversationId?: string;
  /** replyToId for a reply, the updated activity's id for an update. */
  readonly activityId?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an activity, as JSON
  readonly body: any;
  readonly authorization?: string;
}

export interface MemberLookup {
  readonly conversationId: string;
  readonly userId: string;
  readonly authorization?: string;
}

/**
 * A file the connector serves as Teams' download link would (`GET /files/<name>`): its bytes, or
 * a failure (`status`), or a download that never finishes (`hang`: the headers and first bytes,
 * then nothing), or a body longer than allowed sent without a length (`chunked`).
 */
export interface ServedFile {
  readonly bytes?: Uint8Array;
  readonly status?: number;
  readonly hang?: boolean;
  readonly chunked?: boolean;
  /** A Location to send instead (a redirect, 302). */
  readonly redirectTo?: string;
}

/** One `GET …/pagedmembers` the bot made. */
export interface RosterRead {
  readonly conversationId: string;
  readonly pageSize?: number;
  readonly continuationToken?: string;
  /** What it was answered. */
  readonly status: number;
}

export interface FakeConnector {
  /** The serviceUrl to put on activities: `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The token endpoint (client-credentials grant) for authenticated mode. */
  readonly tokenUrl: string;
  /** Every POST/PUT under /v3/conversations, in order. */
  readonly requests: readonly RecordedRequest[];
  readonly memberLookups: readonly MemberLookup[];
  /** Bodies of the token requests, as form fields. */
  readonly tokenRequests: readonly Record<string, string>[];
  /** The access token the token endpoint hands out. */
  readonly issuedToken: string;
  /** Message activities the bot sent (replies and proactive sends), in order. */
  messages(): RecordedRequest[];
  /** People the member look-up knows; anyone else is answered 404 as Teams does. */
  addMembers(...members: FakeMember[]): void;
  /**
   * Serves `file` at `GET /files/<name>` until replaced; the address to put in a file
   * attachment's `downloadUrl`.
   */
  serveFile(name: string, file: ServedFile): string;
  /** The paths of every file download asked for, in order. */
  readonly fileDownloads: readonly string[];
  /**
   * The roster `GET /v3/conversations/{id}/pagedmembers` serves for a team or group chat, page by
   * page with continuation tokens (the members are also known to the member look-up).
   */
  setRoster(conversationId: string, members: readonly FakeMember[]): void;
  readonly rosterReads: readonly RosterRead[];
  /**
   * Answers `times` roster reads with `status` (a 429 asks to wait 0 s), after `afterPages` more
   * reads are answered as usual.
   */
  failRosterReads(times: number, status: number, afterPages?: number): void;
  /** Answers a new 1:1 chat with this user with 403 and `code`, as Teams does for a blocked bot. */
  refuseConversationsWith(userId: string, code: string): void;
  /**
   * Answers the next `times` requests to open a 1:1 chat with 429 and `Retry-After` (seconds), as
   * Teams does past the tenant's 50 requests a second.
   */
  throttleConversations(times: number, retryAfterSeconds?: number): void;
  /** Forgets what was recorded and any faults still to come (members, rosters and files stay). */
  clear(): void;
  close(): Promise<void>;
}

export interface FakeConnectorOptions {
  /** How long each roster page takes to answer (Teams' own pace; the roster benchmark's 50 ms). */
  readonly rosterPageLatencyMs?: number;
}

export async function startFakeConnector(
  options: FakeConnectorOptions = {},
): Promise<FakeConnector> {
  const requests: RecordedRequest[] = [];
  const memberLookups: MemberLookup[] = [];
  const tokenRequests: Record<string, string>[] = [];
  const members = new Map<string, FakeMember>();
  const files = new Map<string, ServedFile>();
  const fileDownloads: string[] = [];
  const rosters = new Map<string, readonly FakeMember[]>();
  const rosterReads: RosterRead[] = [];
  const rosterFaults: (number | 'ok')[] = [];
  const refusedUsers = new Map<string, string>();
  const throttle = { times: 0, retryAfterSeconds: 0 };
  const issuedToken = 'fake-connector-access-token';
  let nextId = 1;
  let url = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { error: { code: 'FakeConnectorError', message: String(error) } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const requestUrl = new URL(req.url ?? '/', 'http://localhost');
    const path = requestUrl.pathname;
    const authorization = req.headers.authorization;
    const auth = authorization ? { authorization } : {};
    const parts = path
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);

    if (req.method === 'POST' && path.endsWith('/token')) {
      tokenRequests.push(Object.fromEntries(new URLSearchParams(text)));
      return send(res, 200, { token_type: 'Bearer', expires_in: 3600, access_token: issuedToken });
    }
    if (req.method === 'GET' && parts[0] === 'files' && parts.length === 2) {
      fileDownloads.push(path);
      return serve(res, files.get(parts[1]!));
    }
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return send(res, 404, notFound(path));
    const [, , conversationId, collection, itemId, extra] = parts;

    if (req.method === 'GET' && collection === 'members' && conversationId && itemId && !extra) {
      memberLookups.push({ conversationId, userId: itemId, ...auth });
      const member = members.get(itemId);
      if (!member) {
        return send(res, 404, {
          error: { code: 'MemberNotFoundInConversation', message: 'The member was not found.' },
        });
      }
      return send(res, 200, member);
    }
    if (req.method === 'GET' && collection === 'pagedmembers' && conversationId && !itemId) {
      const pageSize = Number(requestUrl.searchParams.get('pageSize') ?? 0) || undefined;
      const token = requestUrl.searchParams.get('continuationToken') ?? undefined;
      const read = {
        conversationId,
        ...(pageSize ? { pageSize } : {}),
        ...(token ? { continuationToken: token } : {}),
      };
      const fault = rosterFaults.shift();
      if (fault !== undefined && fault !== 'ok') {
        rosterReads.push({ ...read, status: fault });
        if (fault === 429) res.setHeader('Retry-After', '0');
        return send(res, fault, { error: { code: `HTTP${fault}`, message: 'Try again later.' } });
      }
      const roster = rosters.get(conversationId);
      if (!roster) {
        rosterReads.push({ ...read, status: 404 });
        return send(res, 404, {
          error: { code: 'ConversationNotFound', message: 'The conversation was not found.' },
        });
      }
      rosterReads.push({ ...read, status: 200 });
      if (options.rosterPageLatencyMs) {
        await new Promise((resolve) => setTimeout(resolve, options.rosterPageLatencyMs));
      }
      const start = token ? Number(token.replace('page-', '')) : 0;
      const size = Math.min(pageSize ?? 200, 500);
      const end = start + size;
      return send(res, 200, {
        members: roster.slice(start, end),
        ...(end < roster.length ? { continuationToken: `page-${end}` } : {}),
      });
    }
    if (req.method !== 'POST' && req.method !== 'PUT') return send(res, 404, notFound(path));

    const body: unknown = text ? JSON.parse(text) : undefined;
    const id = `activity-${nextId++}`;
    const record = (kind: RecordedKind, extraFields: Partial<RecordedRequest> = {}) =>
      requests.push({ kind, method: req.method!, path, body, ...auth, ...extraFields });

    if (req.method === 'POST' && parts.length === 2) {
      record('createConversation');
      if (throttle.times > 0) {
        throttle.times--;
        res.setHeader('Retry-After', String(throttle.retryAfterSeconds));
        return send(res, 429, { error: { code: 'Throttled', message: 'Too many requests.' } });
      }
      const userId = (body as { members?: { id?: string }[] } | undefined)?.members?.[0]?.id;
      const refusal = userId ? refusedUsers.get(userId) : undefined;
      if (refusal) return send(res, 403, { error: { code: refusal, message: 'Refused.' } });
      return send(res, 200, { id: `a:created-${nextId}`, activityId: id, serviceUrl: url });
    }
    if (conversationId && collection === 'activities' && !extra) {
      if (req.method === 'POST' && itemId === undefined) {
        record('send', { conversationId });
        return send(res, 200, { id });
      }
      if (req.method === 'POST' && itemId) {
        record('reply', { conversationId, activityId: itemId });
        return send(res, 200, { id });
      }
      if (req.method === 'PUT' && itemId) {
        record('update', { conversationId, activityId: itemId });
        return send(res, 200, { id: itemId });
      }
    }
    return send(res, 404, notFound(path));
  }

  url = await listenOnLoopback(server);

  return {
    url,
    tokenUrl: `${url}oauth2/v2.0/token`,
    requests,
    memberLookups,
    tokenRequests,
    issuedToken,
    messages: () => requests.filter((r) => r.kind !== 'update' && r.body?.type === 'message'),
    addMembers: (...added) => {
      for (const m of added) members.set(m.id, m);
    },
    serveFile: (name, file) => {
      files.set(name, file);
      return `${url}files/${encodeURIComponent(name)}`;
    },
    fileDownloads,
    setRoster: (conversationId, roster) => {
      rosters.set(conversationId, roster);
      for (const m of roster) members.set(m.id, m);
    },
    rosterReads,
    failRosterReads: (times, status, afterPages = 0) => {
      for (let i = 0; i < afterPages; i++) rosterFaults.push('ok');
      for (let i = 0; i < times; i++) rosterFaults.push(status);
    },
    refuseConversationsWith: (userId, code) => {
      refusedUsers.set(userId, code);
    },
    throttleConversations: (times, retryAfterSeconds = 0) => {
      throttle.times = times;
      throttle.retryAfterSeconds = retryAfterSeconds;
    },
    clear: () => {
      fileDownloads.length = 0;
      throttle.times = 0;
      requests.length = 0;
      memberLookups.length = 0;
      tokenRequests.length = 0;
      rosterReads.length = 0;
      rosterFaults.length = 0;
    },
    close: () => closeServer(server),
  };
}

/** A file download, as asked: the bytes, a failure, a redirect, or one that never finishes. */
function serve(res: ServerResponse, file: ServedFile | undefined): void {
  if (!file) return send(res, 404, { error: { code: 'itemNotFound', message: 'No such file.' } });
  if (file.redirectTo) {
    res.writeHead(302, { location: file.redirectTo });
    return void res.end();
  }
  if (file.status && file.status !== 200) {
    return send(res, file.status, { error: { code: 'accessDenied', message: 'Refused.' } });
  }
  const bytes = Buffer.from(file.bytes ?? new Uint8Array());
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    ...(file.chunked || file.hang ? {} : { 'content-length': String(bytes.length) }),
  });
  // Never finished: the first bytes, then silence until the connection is dropped.
  if (file.hang) return void res.write(bytes.subarray(0, 16));
  res.end(bytes);
}

const notFound = (path: string) => ({
  error: { code: 'NotFound', message: `The fake connector has no route for ${path}.` },
});
