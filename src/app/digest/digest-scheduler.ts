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
    running = sweepDigests(deps, deps.clock.now())
      .then(
        () => undefined,
        (error: unknown) => deps.logger.error({ err: error }, 'digest sweep failed'),
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
