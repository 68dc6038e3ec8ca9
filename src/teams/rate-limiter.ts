/**
 * Keeps the bot's sends within Teams' limits (the platform guide): per app per tenant 50 requests
 * a second; per bot per conversation 7 a second, 8 in 2 seconds, 60 in 30 seconds and 1,800 an
 * hour. Plain TypeScript (no Bot Framework type), so it is tested on a fake clock.
 *
 * Two mechanisms, each for what it does best. A token bucket per tenant (refilled at the limit's
 * rate, holding a few tokens) spreads sends evenly — a steady 47 a second rather than bursts of
 * 50 and pauses — and its few tokens let sends catch up after a timer that fired late, so a busy
 * event loop does not lose throughput. But a bucket alone allows its capacity on top of the rate
 * inside one window, so the limits themselves are kept by a log of the sends in each sliding
 * window, which guarantees the limit in every window, as Teams counts them. A small margin is
 * added to every window so that the few milliseconds between leaving here and arriving at Teams
 * never tip a window over.
 *
 * A send is counted when it is let through, at the real time it goes (not at a time reserved
 * in advance): a process whose event loop is busy then cannot bunch late sends into one window.
 * A 429's Retry-After pauses the whole tenant until then.
 */
export interface RateWindow {
  readonly limit: number;
  readonly ms: number;
}

export const TEAMS_TENANT_WINDOWS: readonly RateWindow[] = [{ limit: 50, ms: 1000 }];
export const TEAMS_CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { limit: 7, ms: 1000 },
  { limit: 8, ms: 2000 },
  { limit: 60, ms: 30_000 },
  { limit: 1800, ms: 3_600_000 },
];

export interface RateLimiterOptions {
  readonly tenant?: readonly RateWindow[];
  readonly conversation?: readonly RateWindow[];
  /** Added to every window. Default 50 ms. */
  readonly marginMs?: number;
  /** Tokens the tenant's bucket holds: sends that may go together to catch up. Default 2. */
  readonly burst?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class RateLimiter {
  private readonly tenantWindows: readonly RateWindow[];
  private readonly conversationWindows: readonly RateWindow[];
  private readonly margin: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Reserved send times per key, oldest first. */
  private readonly logs = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;
  /** Tokens per ms: the tightest tenant window's rate, margin included. */
  private readonly rate: number;

  constructor(options: RateLimiterOptions = {}) {
    this.tenantWindows = options.tenant ?? TEAMS_TENANT_WINDOWS;
    this.conversationWindows = options.conversation ?? TEAMS_CONVERSATION_WINDOWS;
    this.margin = options.marginMs ?? 50;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
    this.burst = Math.max(1, options.burst ?? 2);
    this.rate = Math.min(...this.tenantWindows.map((w) => w.limit / (w.ms + this.margin)));
  }

  /**
   * Waits until one more send to `conversation` in `tenant` fits every window, and counts it at
   * the moment it is let through. Resolves to how long it waited (ms).
   */
  async acquire(tenant: string, conversation: string): Promise<number> {
    const start = this.now();
    for (;;) {
      const now = this.now();
      const at = this.earliest(tenant, conversation, now);
      if (at <= now) {
        this.bucket(tenant, now).tokens -= 1;
        this.log(`t:${tenant}`, now, this.tenantWindows).push(now);
        this.log(`c:${tenant}:${conversation}`, now, this.conversationWindows).push(now);
        return now - start;
      }
      await this.sleep(at - now);
    }
  }

  /** Teams said 429 with Retry-After: nobody in the tenant sends before `until` (epoch ms). */
  pause(tenant: string, until: number): void {
    const key = `t:${tenant}`;
    this.pausedUntil.set(key, Math.max(this.pausedUntil.get(key) ?? 0, until));
  }

  /** The first moment from `now` at which a send fits every window. */
  private earliest(tenant: string, conversation: string, now: number): number {
    const tenantKey = `t:${tenant}`;
    const tenantLog = this.log(tenantKey, now, this.tenantWindows);
    const conversationLog = this.log(`c:${tenant}:${conversation}`, now, this.conversationWindows);
    const { tokens } = this.bucket(tenant, now);
    let t = Math.max(
      now + (tokens >= 1 ? 0 : (1 - tokens) / this.rate),
      this.pausedUntil.get(tenantKey) ?? 0,
    );
    for (let changed = true; changed;) {
      changed = false;
      for (const [log, windows] of [
        [tenantLog, this.tenantWindows],
        [conversationLog, this.conversationWindows],
      ] as const) {
        for (const w of windows) {
          const span = w.ms + this.margin;
          const inWindow = log.filter((x) => x > t - span);
          if (inWindow.length >= w.limit) {
            // The send that must leave the window first, and when it does.
            const leaves = inWindow[inWindow.length - w.limit]! + span;
            if (leaves > t) {
              t = leaves;
              changed = true;
            }
          }
        }
      }
    }
    return t;
  }

  /** The tenant's bucket, refilled up to `now`. */
  private bucket(tenant: string, now: number): { tokens: number; at: number } {
    let b = this.buckets.get(tenant);
    if (!b) {
      b = { tokens: this.burst, at: now };
      this.buckets.set(tenant, b);
    }
    if (now > b.at) {
      b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.rate);
      b.at = now;
    }
    return b;
  }

  /** The key's log, without sends older than its longest window. */
  private log(key: string, now: number, windows: readonly RateWindow[]): number[] {
    let log = this.logs.get(key);
    if (!log) {
      if (this.logs.size >= 10_000) this.forgetIdle(now);
      log = [];
      this.logs.set(key, log);
    }
    const keepFrom = now - Math.max(...windows.map((w) => w.ms + this.margin));
    let drop = 0;
    while (drop < log.length && log[drop]! <= keepFrom) drop++;
    if (drop > 0) log.splice(0, drop);
    return log;
  }

  /** Forgets conversations with no send in the last hour, so memory stays bounded. */
  private forgetIdle(now: number): void {
    for (const [key, log] of this.logs) {
      if ((log.at(-1) ?? 0) < now - 3_600_000 - this.margin) this.logs.delete(key);
    }
  }
}
