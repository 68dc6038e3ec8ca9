import {
  currentTurn,
  newTurn,
  requestLimitMs,
  runInTurn,
  runOutsideTurn,
} from '../../../src/ports/turn-deadline.js';

describe('the turn deadline', () => {
  it('leaves a storage request its own limit outside a turn', () => {
    expect(currentTurn()).toBeUndefined();
    expect(requestLimitMs(10_000)).toBe(10_000);
  });

  it('cuts a request made in a turn to what is left of its storage time, however deep', async () => {
    const now = 1_000_000;
    const turn = newTurn(2_800, now);
    const seen = await runInTurn(turn, async () => {
      await new Promise((r) => setImmediate(r));
      return [requestLimitMs(10_000, now + 800), requestLimitMs(1_000, now + 800)];
    });
    expect(seen).toEqual([2_000, 1_000]);
  });

  it('fails a request made after the turn ran out at once, never with no limit', () => {
    const turn = newTurn(100, 0);
    expect(runInTurn(turn, () => requestLimitMs(10_000, 5_000))).toBe(1);
  });

  it('runs work after an answer outside the turn that started it', async () => {
    const turn = newTurn(100, 0);
    const limit = await runInTurn(turn, () =>
      runOutsideTurn(async () => {
        await Promise.resolve();
        return requestLimitMs(10_000, 5_000);
      }),
    );
    expect(limit).toBe(10_000);
  });
});
