import { silentLogger } from '../../../src/ports/logger.js';
import { currentTurn, requestLimitMs } from '../../../src/ports/turn-deadline.js';
import { CARD_ACTION_INVOKE } from '../../../src/teams/card-action-route.js';
import { withinInvokeDeadline } from '../../../src/teams/invoke-deadline.js';
import { plainText } from '../../../src/teams/plain-text.js';
import { NOT_CONFIRMED, STORAGE_UNAVAILABLE } from '../../../src/teams/replies.js';

const DEADLINE = { answerMs: 60, storageMs: 40 };
const never = () => new Promise<never>(() => undefined);
const messageOf = (text: string) => ({
  status: 200,
  body: {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: plainText(text),
  },
});

describe('an invoke within its deadline', () => {
  it('is answered by its turn when the turn answers in time', async () => {
    const answer = await withinInvokeDeadline(
      CARD_ACTION_INVOKE,
      () => Promise.resolve({ status: 200, body: { ok: true } }),
      silentLogger,
      DEADLINE,
    );
    expect(answer).toEqual({ status: 200, body: { ok: true } });
  });

  it('gives every storage request of the turn no more than the storage time', async () => {
    let limit = 0;
    await withinInvokeDeadline(
      CARD_ACTION_INVOKE,
      async () => {
        await new Promise((r) => setImmediate(r));
        limit = requestLimitMs(10_000);
        return { status: 200 };
      },
      silentLogger,
      DEADLINE,
    );
    expect(limit).toBeGreaterThan(0);
    expect(limit).toBeLessThanOrEqual(DEADLINE.storageMs);
  });

  it('says nothing changed when the deadline passes before any write was sent', async () => {
    const answer = await withinInvokeDeadline(CARD_ACTION_INVOKE, never, silentLogger, DEADLINE);
    expect(answer).toEqual(messageOf(STORAGE_UNAVAILABLE));
  });

  it('never says nothing changed once a write was sent', async () => {
    const answer = await withinInvokeDeadline(
      CARD_ACTION_INVOKE,
      () => {
        currentTurn()!.writing = true;
        return never();
      },
      silentLogger,
      DEADLINE,
    );
    expect(answer).toEqual(messageOf(NOT_CONFIRMED));
  });

  it('says what the work asked to be said when it carries on past the answer', async () => {
    const answer = await withinInvokeDeadline(
      CARD_ACTION_INVOKE,
      () => {
        currentTurn()!.lateText = 'The import carries on.';
        return never();
      },
      silentLogger,
      DEADLINE,
    );
    expect(answer).toEqual(messageOf('The import carries on.'));
  });

  it('answers another invoke that runs late with an empty 200', async () => {
    const answer = await withinInvokeDeadline('task/fetch', never, silentLogger, DEADLINE);
    expect(answer).toEqual({ status: 200 });
  });
});
