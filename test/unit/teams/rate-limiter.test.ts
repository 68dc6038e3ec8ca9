import { retryAfterMs } from '../../../src/teams/connector-http-client.js';
import { classify } from '../../../src/teams/proactive-notifier.js';
import {
  RateLimiter,
  TEAMS_CONVERSATION_WINDOWS,
  type RateWindow,
} from '../../../src/teams/rate-limiter.js';

/**
 * A limiter on a clock that only moves when someone waits: each acquire's send time is "now"
 * after it returns, so the test sees exactly when each send would leave.
 */
function virtual(options: ConstructorParameters<typeof RateLimiter>[0] = {}) {
  let now = 0;
  const limiter = new RateLimiter({
    ...options,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  });
  return {
    limiter,
    now: () => now,
    /** `n` sends in a row, one after the other; their send times. */
    async send(n: number, tenant = 't', conversation: (i: number) => string = (i) => `c${i}`) {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        await limiter.acquire(tenant, conversation(i));
        times.push(now);
      }
      return times;
    },
  };
}

/** The most sends inside any window of `ms` (a send at t counts in (t - ms, t]). */
function busiest(times: readonly number[], ms: number): number {
  let most = 0;
  for (const end of times)
    most = Math.max(most, times.filter((t) => t > end - ms && t <= end).length);
  return most;
}

describe('the Teams rate limiter', () => {
  it('never lets more than 50 a second go to one tenant, spread out, at about 49 a second', async () => {
    const v = virtual();
    const times = await v.send(500);
    expect(busiest(times, 1000)).toBeLessThanOrEqual(50);
    const perSecond = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    expect(perSecond).toBeGreaterThan(45);
    expect(perSecond).toBeLessThanOrEqual(50);
    // Evenly: never more than the bucket's few tokens together.
    expect(busiest(times, 20)).toBeLessThanOrEqual(6);
    expect(busiest(times, 100)).toBeLessThanOrEqual(5 + 5);
  });

  it('keeps every per-conversation window: 7 a second, 8 in 2 s, 60 in 30 s, 1,800 an hour', async () => {
    const v = virtual();
    const times = await v.send(2000, 't', () => 'one-chat');
    for (const w of TEAMS_CONVERSATION_WINDOWS)
      expect(busiest(times, w.ms)).toBeLessThanOrEqual(w.limit);
    // The hourly limit is what holds the 1,801st back.
    expect(times[1800]! - times[0]!).toBeGreaterThanOrEqual(3_600_000);
  });

  it('many concurrent callers still keep every window, each counted when it goes', async () => {
    // A fake clock with timers: time jumps to the next sleeper's wake-up.
    let now = 0;
    const sleepers: { at: number; wake: () => void }[] = [];
    const limiter = new RateLimiter({
      now: () => now,
      sleep: (ms) => new Promise<void>((wake) => void sleepers.push({ at: now + ms, wake })),
    });
    const times: number[] = [];
    const conversationTimes: number[] = [];
    const callers = Array.from({ length: 120 }, async (_, i) => {
      await limiter.acquire('t', i % 4 === 0 ? 'busy-chat' : `c${i}`);
      times.push(now);
      if (i % 4 === 0) conversationTimes.push(now);
    });
    const settle = () => new Promise((done) => setImmediate(done));
    await settle();
    while (sleepers.length > 0) {
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers.shift()!;
      now = Math.max(now, next.at);
      next.wake();
      await settle();
    }
    await Promise.all(callers);
    expect(times).toHaveLength(120);
    expect(busiest(times, 1000)).toBeLessThanOrEqual(50);
    expect(busiest(conversationTimes, 1000)).toBeLessThanOrEqual(7);
    expect(busiest(conversationTimes, 2000)).toBeLessThanOrEqual(8);
  });

  it('tenants are independent; a 429’s Retry-After pauses its tenant only', async () => {
    const v = virtual({ tenant: [{ limit: 2, ms: 1000 }] as RateWindow[], marginMs: 0 });
    await v.send(1, 'a');
    v.limiter.pause('a', 5000);
    const b = await v.send(1, 'b');
    expect(b[0]).toBeLessThan(5000);
    const a = await v.send(1, 'a');
    expect(a[0]).toBeGreaterThanOrEqual(5000);
  });
});

describe('what Teams answered, as an outcome', () => {
  const trace = { attempts: 4, throttled: 4, retryAfterMs: 2000 };
  const rest = (statusCode: number, code?: string) =>
    Object.assign(new Error('x'), { statusCode, code });

  it('429 waits for Retry-After; 412 and 5xx are retried; timeouts and network errors too', () => {
    expect(classify(rest(429, 'Throttled'), trace)).toEqual({
      outcome: 'retry',
      code: 'Throttled',
      status: 429,
      retryAfterMs: 2000,
      attempts: 4,
      throttled: 4,
    });
    for (const s of [412, 500, 502, 503, 504])
      expect(classify(rest(s), trace).outcome).toBe('retry');
    const timeout = Object.assign(new Error('t'), { name: 'TimeoutError' });
    expect(classify(timeout, trace)).toMatchObject({ outcome: 'retry', code: 'Timeout' });
    expect(classify(Object.assign(new Error('r'), { code: 'ECONNREFUSED' }), trace)).toMatchObject({
      outcome: 'retry',
      code: 'ECONNREFUSED',
    });
  });

  it('403 and 404 mean the person cannot be reached; anything else fails', () => {
    for (const code of [
      'ConversationBlockedByUser',
      'BotNotInConversationRoster',
      'BotDisabledByAdmin',
      'MessageWritesBlocked',
    ]) {
      expect(classify(rest(403, code), trace)).toMatchObject({
        outcome: 'unreachable',
        code,
        status: 403,
      });
    }
    expect(classify(rest(404, 'ConversationNotFound'), trace)).toMatchObject({
      outcome: 'unreachable',
    });
    expect(classify(rest(413, 'MessageSizeTooBig'), trace)).toMatchObject({
      outcome: 'failed',
      code: 'MessageSizeTooBig',
    });
    expect(classify(rest(400), trace)).toMatchObject({ outcome: 'failed', code: 'HTTP400' });
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('2', 0)).toBe(2000);
    expect(retryAfterMs(new Date(5000).toUTCString(), 1000)).toBe(4000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
  });
});
