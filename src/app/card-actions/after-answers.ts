import { runOutsideTurn } from '../../ports/turn-deadline.js';

/** How many pieces of work after answers run at once, per process. */
export const AFTER_ANSWERS_AT_ONCE = 2;

/**
 * The work that follows answers (remembering the pressed card, updating its earlier copies,
 * giving the champion their card): queued and run a few at a time, each after whatever is already
 * waiting on the event loop, and outside the turn that answered (with no deadline of its own). So
 * a burst of twenty presses is twenty answers first and a short queue of work after, never twenty
 * rounds of card updates competing with the next person's answer for the process and storage.
 * Work never rejects into the queue: a failure is the work's own to log.
 */
export class AfterAnswers {
  private running = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private readonly idlers: (() => void)[] = [];

  constructor(private readonly atOnce = AFTER_ANSWERS_AT_ONCE) {}

  /** Queues `work`; it starts once fewer than `atOnce` others run. */
  add(work: () => Promise<void>): void {
    this.waiting.push(work);
    this.next();
  }

  /** Resolves once nothing is waiting or running (tests, and a stop that lets work finish). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  private next(): void {
    while (this.running < this.atOnce && this.waiting.length > 0) {
      const work = this.waiting.shift()!;
      this.running += 1;
      void runOutsideTurn(async () => {
        try {
          // Answers already on their way go first.
          await new Promise((resolve) => setImmediate(resolve));
          await work();
        } catch {
          // Work after an answer logs its own failures; the queue carries on.
        } finally {
          this.running -= 1;
          this.next();
          if (this.running === 0 && this.waiting.length === 0) {
            for (const done of this.idlers.splice(0)) done();
          }
        }
      });
    }
  }
}
