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
  /** Forgets what was recorded (members stay). */
  clear(): void;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const requests: RecordedRequest[] = [];
  const memberLookups: MemberLookup[] = [];
  const tokenRequests: Record<string, string>[] = [];
  const members = new Map<string, FakeMember>();
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
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
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
    if (req.method !== 'POST' && req.method !== 'PUT') return send(res, 404, notFound(path));

    const body: unknown = text ? JSON.parse(text) : undefined;
    const id = `activity-${nextId++}`;
    const record = (kind: RecordedKind, extraFields: Partial<RecordedRequest> = {}) =>
      requests.push({ kind, method: req.method!, path, body, ...auth, ...extraFields });

    if (req.method === 'POST' && parts.length === 2) {
      record('createConversation');
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
    clear: () => {
      requests.length = 0;
      memberLookups.length = 0;
      tokenRequests.length = 0;
    },
    close: () => closeServer(server),
  };
}

const notFound = (path: string) => ({
  error: { code: 'NotFound', message: `The fake connector has no route for ${path}.` },
});
