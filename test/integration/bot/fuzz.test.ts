import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { addArea } from '../../../src/app/add-area.js';
import { assignAction } from '../../../src/app/assign-action.js';
import {
  aConversationUpdate,
  aMessage,
  anInstallationUpdate,
  anInvoke,
  BOT,
  GENERAL_CHANNEL,
  GROUP_CHAT,
  KIM,
  OTHER_TENANT,
  SAM,
  useBotDriver,
  TENANT,
  type ActivityJson,
  type HttpAnswer,
  type User,
} from '../../helpers/bot-driver.js';
import { importMojPlan } from '../../helpers/fixtures.js';
import { rawPost } from '../../helpers/raw-post.js';
import { watchTempUploads } from '../../helpers/temp-uploads.js';
import { storageSnapshot } from '../../helpers/storage-snapshot.js';

/**
 * 500 malformed or random requests to the real server: missing fields, wrong types, a megabyte of
 * text, unknown activity types and invoke names, bodies that are not JSON, odd conversation ids,
 * multipart uploads, octet streams, gzip, bodies over the limit with and without a length.
 * None may be answered with a 5xx, the server must still answer afterwards, and storage must be
 * exactly as it was: every request is one where nothing should be stored (another tenant, no
 * tenant, or a message from someone already stored, who is not an admin). No upload file appears
 * in the temp folder (nothing is written to disk), and the heap after the run is where it was
 * after the first fifth of it (the figures are printed).
 *
 * The requests come from a seeded pseudo-random generator: FUZZ_SEED=<n> replays a run, and every
 * failure names its seed and the request's number.
 */

const SEED = Number(process.env['FUZZ_SEED'] ?? 20170531);
const COUNT = 500;
/** restify refuses bodies over this (src/server.ts): both sides of it are tried. */
const MAX_BODY_BYTES = 1024 * 1024;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number): boolean => next() < p;
  return { next, int, pick, chance };
}
type Random = ReturnType<typeof generator>;

const ALPHABET = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...' \t\n\r',
  ...'<>&"\'`\\/{}[]()$%#?|*_~=;:,.!@^',
  '\u0000',
  '\u0007',
  '\u00a0',
  '\u200b',
  '\u202e',
  '\ufeff',
  'é',
  'ß',
  'Ω',
  '中',
  'ال',
  '😀',
  '👩‍👩‍👧',
  '\ud800',
];

function randomText(r: Random, max: number): string {
  const length = r.int(max + 1);
  let s = '';
  for (let i = 0; i < length; i++) s += r.pick(ALPHABET);
  return s;
}

/** Text shaped like the digest's @mention placeholders, or a mention typed by hand. */
const FORGED_MENTIONS = [
  '@@mention0@@',
  '@@mention1@@ and @@mention0@@',
  '@@mention-00000000000000000000000000000000-0@@',
  '<at>Kim Champion</at>',
];

/** Things people (and attackers) type: commands, near-commands, markup, template syntax. */
function oddMessageText(r: Random): string {
  return r.pick([
    () => `${r.pick(['', 'action 4.1 ', 'status '])}${r.pick(FORGED_MENTIONS)}`,
    () => r.pick(['help', 'my actions', 'status', 'status HMPPS', 'overdue', 'plan', 'hello']),
    () => r.pick(['action 4.1', 'Action 4.9A', 'action 99.99', 'action ', 'action %', 'status ']),
    () => r.pick(["what's the status of HMPPS?", 'STATUS hmpps!!!', 'my   actions', 'PLAN.']),
    () => r.pick(['assign 4.1 to x@example.org', 'champion HMPPS x@example.org', 'export docx']),
    () => `status ${randomText(r, 80)}`,
    () => `action ${randomText(r, 20)}`,
    () => `<at>${BOT.name}</at> ${randomText(r, 40)}`,
    () => '${plan.title} {{x}} [link](https://evil.example) **bold** <script>x</script>',
    () => randomText(r, 300),
    () => 'status '.repeat(2_000),
    () => `action ${'4.'.repeat(5_000)}`,
    () => 'a'.repeat(r.pick([10_000, 100_000, 900_000])),
    () => `${'((('.repeat(10_000)}help`,
    () => '',
    () => ' \n\t ',
  ])();
}

/** Conversation and user ids nobody should send. */
function oddId(r: Random): unknown {
  return r.pick([
    () => '',
    () => ' ',
    () => `a:${'x'.repeat(r.pick([1_000, 10_000, 100_000]))}`,
    () => '../../v3/conversations/../../etc/passwd',
    () => '19:abc@thread.v2/activities/../members',
    () => '%00%2F%3F#',
    () => 'a|b/c\\d#e?f',
    () => '\u0000\u0001\u001f',
    () => '😀👩‍👩‍👧\u202e',
    () => '\ud800',
    () => randomText(r, 60),
    () => r.int(1e9),
    () => -1,
    () => 1e308,
    () => true,
    () => null,
    () => [],
    () => ['19:x@thread.v2'],
    () => ({ id: 'nested' }),
  ])();
}

/** A value of the wrong type, or of the right type but absurd. */
function oddValue(r: Random): unknown {
  return r.pick([
    () => null,
    () => 0,
    () => -1,
    () => 1e308,
    () => true,
    () => '',
    () => randomText(r, 40),
    () => 'x'.repeat(50_000),
    () => [],
    () => [null, 1, 'a', {}],
    () => Array.from({ length: 5_000 }, (_, i) => i),
    () => ({}),
    () => ({ id: oddId(r), name: oddId(r) }),
    () => ({ a: { b: { c: { d: { e: 'deep' } } } } }),
    () => oddId(r),
  ])();
}

/** Dotted paths of an activity that a mutation may change or delete. */
const ANY_PATHS = [
  'type',
  'id',
  'timestamp',
  'localTimestamp',
  'serviceUrl',
  'channelId',
  'from',
  'from.id',
  'from.aadObjectId',
  'from.name',
  'recipient',
  'recipient.id',
  'conversation',
  'conversation.id',
  'conversation.conversationType',
  'conversation.tenantId',
  'conversation.isGroup',
  'channelData',
  'channelData.tenant',
  'channelData.tenant.id',
  'channelData.team',
  'channelData.channel',
  'channelData.eventType',
  'text',
  'textFormat',
  'entities',
  'attachments',
  'value',
  'name',
  'action',
  'membersAdded',
  'membersRemoved',
  'replyToId',
  'locale',
  'deliveryMode',
];
/**
 * Paths that may change on a message from Sam (stored, reachable, not an admin) in our tenant
 * without making it one that should store something: not who sent it (a new `from` makes Sam
 * someone to record again). Nor the service URL: a well-formed one where nothing listens is
 * retried by botbuilder for seconds, and a malformed one is refused before the tenant matters.
 */
const SAFE_PATHS_FOR_SAM = ANY_PATHS.filter(
  (p) => !p.startsWith('from') && p !== 'deliveryMode' && p !== 'serviceUrl',
);

/**
 * Service URLs of the wrong type or that go nowhere, all on loopback: the bot posts its replies
 * there, and a random string could be a host name to look up on the internet.
 */
const ODD_SERVICE_URLS: readonly unknown[] = [
  null,
  0,
  1e308,
  true,
  [],
  {},
  '',
  ' ',
  'not a url',
  '/v3/conversations',
  'http://127.0.0.1:9/',
  'https://127.0.0.1:9/',
  'ftp://127.0.0.1:9/',
  'http://[::1]:9/',
  `http://127.0.0.1:9/${'x'.repeat(10_000)}`,
];

function mutate(r: Random, activity: ActivityJson, paths: readonly string[]): void {
  const path = r.pick(paths).split('.');
  let node: ActivityJson = activity;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) {
      node[key] = {};
    }
    node = node[key];
  }
  const last = path[path.length - 1]!;
  if (r.chance(0.3)) delete node[last];
  else if (last === 'serviceUrl') node[last] = r.pick(ODD_SERVICE_URLS);
  else node[last] = last === 'id' || last === 'conversation' ? oddId(r) : oddValue(r);
}

const STRANGER: User = {
  id: '29:1fuzz-stranger',
  name: 'Stranger',
  aadObjectId: '6a1b5f0e-0000-4000-8000-0000000000ee',
  email: 'stranger@other.example',
};

const UNKNOWN_TYPES = [
  'typing',
  'event',
  'messageReaction',
  'messageUpdate',
  'messageDelete',
  'endOfConversation',
  'handoff',
  'trace',
  'suggestion',
  'contactRelationUpdate',
  'deleteUserData',
  'MESSAGE',
  'message ',
  'invoke/x',
];
const INVOKE_NAMES = [
  'adaptiveCard/action',
  'composeExtension/query',
  'composeExtension/fetchTask',
  'task/fetch',
  'task/submit',
  'signin/verifyState',
  'signin/tokenExchange',
  'fileConsent/invoke',
  'config/fetch',
  'actionableMessage/executeAction',
  'message/submitAction',
  'healthCheck',
  'application/search',
  '',
  'x'.repeat(10_000),
];

/** One activity from a tenant the bot must ignore (another, or none at all). */
function ignoredActivity(r: Random): ActivityJson {
  const tenantId = r.pick([OTHER_TENANT, OTHER_TENANT.toUpperCase(), 'not-a-tenant']);
  const from = r.pick([SAM, KIM, STRANGER]);
  const where = r.pick([undefined, GROUP_CHAT, GENERAL_CHANNEL]);
  const common = { from, tenantId, ...(where ? { in: where } : {}) };
  const activity: ActivityJson = r.pick([
    () => aMessage({ ...common, text: oddMessageText(r), mention: r.chance(0.5) }),
    () => aConversationUpdate({ ...common, membersAdded: [{ id: BOT.id }] }),
    () => aConversationUpdate({ ...common, membersAdded: [{ id: from.id }, { id: BOT.id }] }),
    () => aConversationUpdate({ ...common, membersRemoved: [{ id: BOT.id }] }),
    () => anInstallationUpdate({ ...common, action: r.pick(['add', 'remove', 'add-upgrade']) }),
    () =>
      anInvoke({
        ...common,
        verb: r.pick(['setStatus', 'addNote', 'showAction', 'noSuchVerb', randomText(r, 20)]),
        data: {
          ref: r.pick(['4.1', '1.5', oddId(r)]),
          planId: oddId(r),
          status: 'complete',
          note: r.pick(FORGED_MENTIONS),
        },
      }),
    () => ({ ...aMessage({ ...common, text: '' }), type: r.pick(UNKNOWN_TYPES) }),
    () => ({ ...anInvoke({ ...common, verb: 'x' }), name: r.pick(INVOKE_NAMES) }),
  ])();
  if (r.chance(0.3)) {
    // No tenant at all.
    delete activity.channelData.tenant;
    delete activity.conversation.tenantId;
  }
  if (r.chance(0.15)) {
    // The two tenant fields disagree, one of them ours; otherwise well formed, so that only the
    // disagreement keeps the bot from answering.
    const oursInChannelData = r.chance(0.5);
    activity.channelData.tenant = { id: oursInChannelData ? TENANT : OTHER_TENANT };
    activity.conversation.tenantId = oursInChannelData ? OTHER_TENANT : TENANT;
    return activity;
  }
  const mutations = r.int(5);
  for (let i = 0; i < mutations; i++) mutate(r, activity, ANY_PATHS);
  // The test relies on it: no mutation moves an activity into the allowed tenant.
  for (const tenant of [activity.channelData?.tenant?.id, activity.conversation?.tenantId]) {
    if (typeof tenant === 'string' && tenant.toLowerCase() === TENANT) {
      throw new Error('a mutation produced the allowed tenant');
    }
  }
  return activity;
}

/** Whether an activity names two different tenants (the test's own check of what it sent). */
function tenantsDisagree(activity: ActivityJson): boolean {
  const ids = [activity.channelData?.tenant?.id, activity.conversation?.tenantId];
  return (
    ids.every((id) => typeof id === 'string') &&
    (ids[0] as string).toLowerCase() !== (ids[1] as string).toLowerCase()
  );
}

/** A message (or an unknown type, or an unknown invoke) from Sam in our tenant. */
function samActivity(r: Random): ActivityJson {
  const activity: ActivityJson = r.pick([
    () => aMessage({ from: SAM, text: oddMessageText(r) }),
    () => aMessage({ from: SAM, text: oddMessageText(r), in: GROUP_CHAT, mention: true }),
    () => ({ ...aMessage({ from: SAM, text: 'help' }), type: r.pick(UNKNOWN_TYPES) }),
    () => ({ ...anInvoke({ from: SAM, verb: 'x' }), name: `x-fuzz/${randomText(r, 30)}` }),
  ])();
  const mutations = r.int(4);
  for (let i = 0; i < mutations; i++) mutate(r, activity, SAFE_PATHS_FOR_SAM);
  return activity;
}

interface FuzzRequest {
  readonly kind: string;
  readonly body: string | Buffer;
  readonly headers?: Record<string, string>;
  /** Sent in pieces with no content-length (chunked), rather than in one with its length. */
  readonly chunked?: boolean;
  /** The status the request must get, where only one is right. */
  readonly expect?: number;
  /** From a tenant the bot must ignore: nothing may be sent or looked up for it. */
  readonly ignored?: boolean;
}

/** A multipart upload of `bytes` (what once left a file in the temp folder per request). */
function multipart(bytes: number): Buffer {
  const boundary = 'fuzz-boundary';
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.alloc(bytes, 0x5a),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

/** Bodies that are not an activity at all. */
function rawBody(r: Random): FuzzRequest {
  return r.pick<() => FuzzRequest>([
    () => ({ kind: 'empty body', body: '' }),
    () => ({
      kind: 'bad JSON',
      body: r.pick(['{', '{"type":', '}', '{"type":"message",}', "{'a':1}"]),
    }),
    () => ({
      kind: 'JSON not an object',
      body: r.pick(['null', '[]', '[{}]', '"message"', '1', 'true']),
    }),
    () => ({ kind: 'type of the wrong type', body: JSON.stringify({ type: oddValue(r) }) }),
    () => ({ kind: 'random JSON', body: JSON.stringify(oddValue(r)) }),
    () => ({
      kind: 'prototype pollution',
      body: `{"type":"message","text":"help","__proto__":{"polluted":"yes"},"channelData":{"constructor":{"prototype":{"polluted":"yes"}},"tenant":{"id":"${OTHER_TENANT}"}},"from":{"id":"x","__proto__":{"polluted":"yes"}}}`,
    }),
    () => ({
      kind: 'deep nesting',
      body: `{"type":"message","value":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
    }),
    () => ({ kind: 'random bytes', body: randomText(r, 500) }),
    () => ({
      kind: 'form encoded',
      body: 'type=message&text=help',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
    () => ({
      kind: 'plain text',
      body: '{"type":"message"}',
      headers: { 'content-type': 'text/plain' },
    }),
    () => ({
      kind: 'no content type',
      body: '{"type":"message"}',
      headers: { 'content-type': '' },
    }),
    () => ({
      kind: 'over the size limit',
      body: JSON.stringify({
        ...aMessage({ text: 'a'.repeat(MAX_BODY_BYTES) }),
        serviceUrl: 'http://127.0.0.1:9/',
      }),
      expect: 413,
    }),
    () => ({
      kind: 'over the size limit, chunked with no length',
      body: JSON.stringify({
        ...aMessage({ text: 'a'.repeat(MAX_BODY_BYTES + r.int(MAX_BODY_BYTES)) }),
        serviceUrl: 'http://127.0.0.1:9/',
      }),
      chunked: true,
      expect: 413,
    }),
    () => ({
      kind: 'multipart upload',
      body: multipart(r.pick([1_000, 1024 * 1024, 3 * 1024 * 1024])),
      headers: { 'content-type': 'multipart/form-data; boundary=fuzz-boundary' },
      chunked: r.chance(0.5),
      expect: 415,
    }),
    () => ({
      kind: 'octet stream',
      body: Buffer.from(randomText(r, 2_000)),
      headers: { 'content-type': 'application/octet-stream' },
      chunked: r.chance(0.5),
      expect: 415,
    }),
    () => ({
      kind: 'gzip',
      // A few kilobytes that would inflate to 20 MB of JSON.
      body: gzipSync(`{"type":"message","text":"${'a'.repeat(20 * 1024 * 1024)}"}`),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      expect: 415,
    }),
  ])();
}

const CONFLICTING_TENANTS = 'conflicting tenant fields';
const FORGED = 'forged mention placeholders';

/** Kinds of request the run must have tried (and counts, printed). */
const EXPECTED_KINDS = [
  CONFLICTING_TENANTS,
  FORGED,
  'over the size limit',
  'over the size limit, chunked with no length',
  'multipart upload',
  'octet stream',
  'gzip',
];

/** The heap in use after a full collection, in MB. */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

function nextRequest(r: Random, serviceUrl: string): FuzzRequest {
  const roll = r.next();
  if (roll < 0.2) return rawBody(r);
  const sam = roll < 0.5;
  const activity = sam ? samActivity(r) : ignoredActivity(r);
  // The connector, unless a mutation gave the activity a service URL of its own.
  if (!('serviceUrl' in activity) && r.chance(0.95)) activity.serviceUrl = serviceUrl;
  return {
    kind: sam
      ? `from Sam: ${String(activity.type)}`
      : tenantsDisagree(activity)
        ? CONFLICTING_TENANTS
        : `ignored: ${String(activity.type)}`,
    body: JSON.stringify(activity),
    ignored: !sam,
  };
}

describe(`fuzzing /api/messages (FUZZ_SEED=${SEED})`, () => {
  const uploads = watchTempUploads();
  const bot = useBotDriver({
    members: [SAM, KIM, STRANGER],
    env: { ALLOWED_TENANT_IDS: TENANT },
  });
  beforeAll(async () => {
    const deps = bot.container.deps;
    const { planId } = await importMojPlan(deps, { source: 'moj.txt' });
    await addArea(deps, { planId, name: 'HMPPS', champions: [KIM.email] });
    for (const ref of ['1.5', '4.1', '4.9a']) {
      await assignAction(deps, { planId, ref, owners: [SAM.email], area: 'HMPPS', by: 'cli' });
    }
    // Sam and Kim have installed the bot.
    for (const user of [SAM, KIM]) {
      await bot.send(aConversationUpdate({ from: user, membersAdded: [{ id: BOT.id }] }));
    }
    bot.connector.clear();
  });

  it(`answers ${COUNT} malformed or random requests without a 5xx, stores nothing, and still answers`, async () => {
    // botbuilder writes some refusals to the console itself.
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = await storageSnapshot(bot.container.connectionString);
    // Two people, each a record, an address row and an object id row; the admin index's marker.
    expect(before['People']?.length).toBe(7);

    const r = generator(SEED);
    const failures: unknown[] = [];
    const statuses = new Map<number, number>();
    const kinds = new Map<string, number>();
    let heapAtFifth = 0;
    for (let i = 0; i < COUNT; i++) {
      if (i === COUNT / 5) heapAtFifth = heapAfterGc();
      const request = nextRequest(r, bot.connector.url);
      const shown = request.body.toString('utf8', 0, 600);
      const calls = () => bot.connector.requests.length + bot.connector.memberLookups.length;
      const callsBefore = calls();
      let answer: HttpAnswer;
      try {
        answer = await send(request);
      } catch (error) {
        throw new Error(
          `FUZZ_SEED=${SEED}, request #${i} (${request.kind}): the server did not answer: ${String(error)}\n${shown}`,
          { cause: error },
        );
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      kinds.set(request.kind, (kinds.get(request.kind) ?? 0) + 1);
      if (request.body.includes('@@mention') || request.body.includes('<at>Kim')) {
        kinds.set(FORGED, (kinds.get(FORGED) ?? 0) + 1);
      }
      const answeredIgnored = request.ignored === true && calls() !== callsBefore;
      if (
        answer.status >= 500 ||
        (request.expect && answer.status !== request.expect) ||
        answeredIgnored
      ) {
        failures.push({
          ...(answeredIgnored ? { problem: 'the bot answered an activity it must ignore' } : {}),
          seed: SEED,
          request: i,
          kind: request.kind,
          status: answer.status,
          ...(request.expect ? { expected: request.expect } : {}),
          answer: JSON.stringify(answer.body ?? null).slice(0, 300),
          body: shown,
        });
      }
    }
    consoleError.mockRestore();
    const heapAtEnd = heapAfterGc();
    const tempFiles = uploads.created();
    console.log(
      [
        `fuzz run, FUZZ_SEED=${SEED}: ${COUNT} requests`,
        `statuses: ${[...statuses]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s} ×${n}`)
          .join(', ')}`,
        `responses >= 500: ${[...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0)}`,
        `upload files created in the temp folder (${uploads.folder}): ${tempFiles.length}`,
        `heap after gc: ${heapAtFifth.toFixed(1)} MB after ${COUNT / 5} requests, ${heapAtEnd.toFixed(1)} MB after ${COUNT}`,
        `of which: ${EXPECTED_KINDS.map((k) => `${k} ×${kinds.get(k) ?? 0}`).join('; ')}`,
      ].join('\n'),
    );

    expect({ seed: SEED, failures }).toEqual({ seed: SEED, failures: [] });
    expect(tempFiles).toEqual([]);
    for (const kind of EXPECTED_KINDS)
      expect({ kind, tried: kinds.has(kind) }).toEqual({ kind, tried: true });
    // Steady: what 400 requests leave behind, a few MB at most (a multipart body kept per
    // request would be hundreds).
    expect(heapAtEnd - heapAtFifth).toBeLessThan(16);
    // The run did reach the bot (not only the body parser), and the bot answered Sam.
    expect(statuses.get(200)).toBeGreaterThan(COUNT / 4);
    expect(bot.connector.messages().length).toBeGreaterThan(10);
    expect(statuses.get(413)).toBeGreaterThan(0);

    // Still up, and still itself.
    expect(await bot.get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    bot.connector.clear();
    expect((await bot.send(aMessage({ from: SAM, text: 'help' }))).status).toBe(200);
    expect(bot.connector.messages()).toHaveLength(1);
    expect(bot.connector.messages()[0]?.body.attachments?.[0]?.contentType).toBe(
      'application/vnd.microsoft.card.adaptive',
    );

    expect({ seed: SEED, storage: await storageSnapshot(bot.container.connectionString) }).toEqual({
      seed: SEED,
      storage: before,
    });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // Only a guard against a hang: 500 requests take a few seconds.
  }, 120_000);

  /** Posts one fuzz request: in one piece with its length, or chunked with none. */
  async function send(request: FuzzRequest): Promise<HttpAnswer> {
    if (typeof request.body === 'string' && !request.chunked) {
      return bot.post(request.body, request.headers);
    }
    const body = Buffer.from(request.body);
    const pieces: Buffer[] = [];
    for (let at = 0; at < body.length; at += 64 * 1024)
      pieces.push(body.subarray(at, at + 64 * 1024));
    const headers = {
      'content-type': 'application/json',
      ...request.headers,
      ...(request.chunked ? {} : { 'content-length': String(body.length) }),
    };
    const answer = await rawPost(`${bot.url}/api/messages`, { headers, chunks: pieces });
    if (answer.status === 'no answer') throw new Error(answer.error);
    let parsed: unknown = answer.body;
    try {
      parsed = answer.body ? JSON.parse(answer.body) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: answer.status, body: parsed };
  }

  describe('what the fuzzing found (once 5xx, or a reply sent nowhere)', () => {
    beforeEach(() => {
      bot.connector.clear();
    });
    const post = (activity: ActivityJson) =>
      bot.post(JSON.stringify({ serviceUrl: bot.connector.url, ...activity }));

    it('an invoke no route answers gets 200 and no body, not 501', async () => {
      const unknown = { ...anInvoke({ from: SAM, verb: 'x' }), name: 'composeExtension/query' };
      expect(await post(unknown)).toEqual({ status: 200, body: undefined });
      const foreign = anInvoke({ from: SAM, tenantId: OTHER_TENANT, verb: 'setStatus' });
      expect(await post(foreign)).toEqual({ status: 200, body: undefined });
      expect(bot.connector.requests).toEqual([]);
    });

    it.each<[string, (a: ActivityJson) => ActivityJson, string]>([
      ['no service URL', (a) => ({ ...a, serviceUrl: undefined }), 'serviceUrl'],
      ['a service URL that is a number', (a) => ({ ...a, serviceUrl: 1e308 }), 'serviceUrl'],
      ['a locale that is a list', (a) => ({ ...a, locale: [] }), 'locale'],
      ['a conversation without an id', (a) => ({ ...a, conversation: {} }), 'conversation.id'],
      ['no channel', (a) => ({ ...a, channelId: null }), 'channelId'],
      ['a recipient that is true', (a) => ({ ...a, recipient: true }), 'recipient'],
    ])(
      'a message with %s is refused with 400 saying so, and nothing is sent',
      async (_, change, field) => {
        const answer = await bot.post(
          JSON.stringify(
            change({ ...aMessage({ from: SAM, text: 'help' }), serviceUrl: bot.connector.url }),
          ),
        );
        expect(answer.status).toBe(400);
        expect(answer.body.problems.join('\n')).toContain(field);
        expect(bot.connector.requests).toEqual([]);
      },
    );
  });
});
