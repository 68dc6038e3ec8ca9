import {
  AFTER_ANSWERS_AT_ONCE,
  AfterAnswers,
} from '../../../../src/app/card-actions/after-answers.js';
import { currentTurn, newTurn, runInTurn } from '../../../../src/ports/turn-deadline.js';

describe('the work after answers', () => {
  it('runs a burst a few at a time, every piece once, and is idle after', async () => {
    const after = new AfterAnswers();
    let running = 0;
    let most = 0;
    const done: number[] = [];
    for (let i = 0; i < 20; i++) {
      after.add(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 2));
        running -= 1;
        done.push(i);
      });
    }
    await after.idle();
    expect(most).toBe(AFTER_ANSWERS_AT_ONCE);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('starts nothing before the answer that queued it has gone', async () => {
    const after = new AfterAnswers();
    let started = false;
    after.add(() => {
      started = true;
      return Promise.resolve();
    });
    // What the answering turn still does in this tick and the next runs first.
    await Promise.resolve();
    expect(started).toBe(false);
    await after.idle();
    expect(started).toBe(true);
  });

  it('carries on past a piece that fails', async () => {
    const after = new AfterAnswers(1);
    const done: string[] = [];
    after.add(() => Promise.reject(new Error('Teams refused the update')));
    after.add(() => {
      done.push('next');
      return Promise.resolve();
    });
    await after.idle();
    expect(done).toEqual(['next']);
  });

  it('runs outside the turn that queued it, with no deadline of its own', async () => {
    const after = new AfterAnswers();
    let turnSeen: unknown = 'not run';
    runInTurn(newTurn(100), () =>
      after.add(() => {
        turnSeen = currentTurn();
        return Promise.resolve();
      }),
    );
    await after.idle();
    expect(turnSeen).toBeUndefined();
  });
});
