import { useRateLimitingConnector } from '../../helpers/reminder-azure-world.js';

/** The fake connector's own tests: the reminder tests and the benchmark rely on its limits. */
const connector = useRateLimitingConnector();

const post = (conversation: string, tenant = 't1', summary = 'hi') =>
  fetch(`${connector.url}v3/conversations/${encodeURIComponent(conversation)}/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      summary,
      conversation: { id: conversation, tenantId: tenant },
    }),
  });

it('answers 429 with Retry-After past 50 requests a second in one tenant, not in another', async () => {
  const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => post(`a:${i}`)));
  const statuses = answers.map((r) => r.status);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(50);
  const throttled = answers.filter((r) => r.status === 429);
  expect(throttled.length).toBeGreaterThan(0);
  expect(throttled[0]!.headers.get('retry-after')).toBe('1');
  // However the 60 arrived, no second held more than 50 accepted ones.
  const accepted = connector.attempts.filter((a) => a.status === 200).map((a) => a.at);
  for (const end of accepted) {
    expect(accepted.filter((t) => t > end - 1000 && t <= end).length).toBeLessThanOrEqual(50);
  }
  expect(connector.limitHits()).toBe(throttled.length);
  const before = connector.delivered.length;
  expect((await post('a:other', 't2')).status).toBe(200);
  expect(connector.delivered).toHaveLength(before + 1);
});

it('answers 429 past 7 a second in one conversation, and past 8 in 2 seconds', async () => {
  const first = await Promise.all(Array.from({ length: 8 }, () => post('a:one')));
  expect(first.map((r) => r.status).filter((s) => s === 429)).toHaveLength(1);
  await new Promise((r) => setTimeout(r, 1050));
  expect((await post('a:one')).status).toBe(200); // the 8th in 2 s
  expect((await post('a:one')).status).toBe(429); // a 9th in 2 s
});

it('injects faults per conversation, a set number of times, and latency', async () => {
  connector.inject('a:x', { status: 403, code: 'ConversationBlockedByUser' }, 2);
  const refused = await post('a:x');
  expect(refused.status).toBe(403);
  expect(await refused.json()).toEqual({
    error: { code: 'ConversationBlockedByUser', message: 'Injected 403.' },
  });
  expect((await post('a:x')).status).toBe(403);
  expect((await post('a:x')).status).toBe(200);
  expect((await post('a:y')).status).toBe(200);
  connector.inject('*', { status: 503 });
  expect((await post('a:z')).status).toBe(503);
  connector.setLatency(100);
  const started = Date.now();
  expect((await post('a:w')).status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  connector.setLatency(0);
});

it('a hang never answers and delivers nothing', async () => {
  connector.inject('a:h', { status: 'hang' });
  const answer = await fetch(`${connector.url}v3/conversations/a%3Ah/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message' }),
    signal: AbortSignal.timeout(300),
  }).then(
    () => 'answered',
    (e: Error) => e.name,
  );
  expect(answer).toBe('TimeoutError');
  expect(connector.delivered).toEqual([]);
  expect(connector.attempts).toEqual([
    expect.objectContaining({ conversationId: 'a:h', status: 0 }),
  ]);
});
