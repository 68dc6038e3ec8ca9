import { sweepDigests } from './sweep-digests.js';
import type { DigestDeps } from './digest-deps.js';

/** How often the digest sweep runs: a minute, so that Monday 09:00 is 09:00 give or take one. */
export const DIGEST_SWEEP_EVERY_MS = 60 * 1000;

export interface RunningSweeps {
  /** Stops the timer and waits for a sweep under way to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `sweepDigests` now and then every `everyMs` (in-process timer; every instance of the bot
 * runs one, and the lease and delivery records keep it to one digest per channel per week).
 * A sweep never overlaps the previous one; a failed sweep is logged and the next one tries again.
 */
export function startDigestSweeps(
  deps: DigestDeps,
  everyMs: number = DIGEST_SWEEP_EVERY_MS,
): RunningSweeps {
  let running: Promise<void> | undefined;
  const tick = (): void => {
    if (running) return;
    const now = deps.clock.now();
    // Every line of a sweep carries its job id, so one sweep's lines can be found together.
    const job = { ...deps, logger: deps.logger.child({ jobId: `digest ${now.toISOString()}` }) };
    running = sweepDigests(job, now)
      .then(
        () => undefined,
        (error: unknown) => job.logger.error({ err: error }, 'digest sweep failed'),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
