/** How a sender works through the queue; the defaults suit production, tests shorten the waits. */
export interface DeliverOptions {
  /** Who is sending: written on each claim, so a record says which instance had it. */
  readonly holder: string;
  /** The moment reminders are judged at (`reminders run --as-of`); the clock's time otherwise. */
  readonly now?: () => Date;
  /** Messages taken at once (1–32). */
  readonly batchSize?: number;
  /**
   * Sends in flight at once; the notifier's rate limiter paces them. Enough to keep 50 a second
   * going while each send waits on storage and on Teams (16: bench:reminders reaches the limiter's
   * ceiling at 12 to 24 with 50 ms from Teams; 8 fell to 0.8 of it; more only adds 429s).
   */
  readonly concurrency?: number;
  /** How long a taken message stays hidden from other senders. */
  readonly visibilitySeconds?: number;
  /** Sends tried before a reminder goes to the dead-letter queue. */
  readonly maxAttempts?: number;
  /** First retry delay (doubled each attempt, with jitter) when Teams gave no Retry-After. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /**
   * A claim older than this belongs to a sender that stopped mid-send. Must be longer than the
   * longest send (the Teams SDK's own retries included).
   */
  readonly claimTimeoutMs?: number;
  /** Pause while messages wait to become visible again. */
  readonly pollMs?: number;
  /** Give up waiting for delayed messages at this instant (epoch ms); by default wait them out. */
  readonly deadline?: number;
  /** Stops taking messages (what is under way finishes). */
  readonly signal?: AbortSignal;
  /** Called between batches (the scheduler renews its lease); false stops delivering. */
  readonly beforeBatch?: () => Promise<boolean>;
}

export const DELIVERY_DEFAULTS = {
  batchSize: 32,
  concurrency: 16,
  visibilitySeconds: 60,
  maxAttempts: 5,
  retryBaseMs: 5_000,
  retryMaxMs: 5 * 60_000,
  claimTimeoutMs: 5 * 60_000,
  pollMs: 500,
} as const;

export type DeliverySettings = Required<
  Omit<DeliverOptions, 'deadline' | 'signal' | 'beforeBatch'>
>;
