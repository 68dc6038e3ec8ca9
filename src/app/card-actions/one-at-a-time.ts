/**
 * Runs tasks with the same key one after another, in the order they arrive; tasks with different
 * keys run side by side. Per process: what keeps answers from racing each other here. Across
 * several instances the ETag still decides, and a lost race is re-applied (recordAnswer).
 *
 * Why: twenty presses on one action at once, each reading then writing conditionally, make
 * nineteen losers per round that re-read and try again; on a busy machine a press can lose race
 * after race. Queued, each write finds the action as the one before left it and succeeds first
 * time.
 */
export class OneAtATime {
  private readonly tails = new Map<string, Promise<void>>();

  /** `task` is told whether it waited behind another (what it read before may be out of date). */
  async run<T>(key: string, task: (waited: boolean) => Promise<T>): Promise<T> {
    const before = this.tails.get(key);
    const result = (before ?? Promise.resolve()).then(() => task(before !== undefined));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
