import type { Logger } from '../ports/logger.js';
import { newTurn, runInTurn, type Turn } from '../ports/turn-deadline.js';
import type { InboundResponse } from './bot-adapter.js';
import { CARD_ACTION_INVOKE, invokeBody } from './card-action-route.js';
import { NOT_CONFIRMED, STORAGE_UNAVAILABLE } from './replies.js';

/** How long an invoke's turn may take. */
export interface InvokeDeadline {
  /** The invoke is answered by then, whatever storage does. */
  readonly answerMs: number;
  /** A storage request made for the invoke is given up by then, leaving time to answer. */
  readonly storageMs: number;
}

/** Teams gives up on an invoke's answer at about 5 seconds: answered well inside that. */
export const INVOKE_DEADLINE: InvokeDeadline = { answerMs: 3_200, storageMs: 2_800 };

/** The activity's invoke name when it is an invoke (`''` for one without a name). */
export function invokeNameOf(body: unknown): string | undefined {
  const b = body as { type?: unknown; name?: unknown } | null;
  if (typeof b !== 'object' || b === null || b.type !== 'invoke') return undefined;
  return typeof b.name === 'string' ? b.name : '';
}

/**
 * Runs an invoke's turn with a deadline: every storage request it makes is given up once the
 * deadline's storage time has passed (runInTurn), and if the turn has not answered by its answer
 * time the answer is a plain message — that nothing has changed, or, when a write was already sent, that it
 * could not be confirmed — so the person reads words rather than Teams' "Something went wrong".
 * The turn itself goes on; its late answer is dropped, and what follows it still runs.
 */
export async function withinInvokeDeadline(
  name: string,
  work: () => Promise<InboundResponse>,
  logger: Logger,
  deadline: InvokeDeadline = INVOKE_DEADLINE,
): Promise<InboundResponse> {
  const turn = newTurn(deadline.storageMs);
  const answered = runInTurn(turn, work);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<InboundResponse>((resolve) => {
    timer = setTimeout(() => {
      logger.warn(
        { invoke: name, writing: turn.writing, afterMs: deadline.answerMs },
        'an invoke was not answered in time: answered with a plain message',
      );
      resolve(lateAnswer(name, turn));
    }, deadline.answerMs);
  });
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What an invoke is answered with when its deadline passes first. */
function lateAnswer(name: string, turn: Turn): InboundResponse {
  if (name !== CARD_ACTION_INVOKE) return { status: 200 };
  return {
    status: 200,
    body: invokeBody({
      text: turn.lateText ?? (turn.writing ? NOT_CONFIRMED : STORAGE_UNAVAILABLE),
    }),
  };
}
