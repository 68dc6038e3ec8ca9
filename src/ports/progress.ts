/**
 * How far a long job has got: a progress bar on a terminal, nothing at all elsewhere. A job is a
 * series of stages ("Saving records", 20,001 steps), each replacing the one before.
 */
export interface Progress {
  /** A new stage of `total` steps; whatever stage was showing is finished. */
  stage(label: string, total: number): void;
  /** `done` steps of the current stage are finished (a running total, not an increment). */
  update(done: number): void;
  /** The job is over, finished or failed: take the bar away. */
  stop(): void;
}

/** Reports nothing: the default wherever no one is watching (the bot, tests, a piped terminal). */
export const noProgress: Progress = {
  stage: () => undefined,
  update: () => undefined,
  stop: () => undefined,
};
