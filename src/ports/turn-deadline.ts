import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The time budget of the turn under way, carried with its asynchronous work rather than through
 * every call: the Teams door starts a turn for each invoke (Teams gives up on an answer after
 * about 5 seconds), and every storage request made for it is given up once the turn's storage
 * time has passed, whatever the request's own limit. What the turn reports here (whether a write
 * was sent) decides what the door can honestly say when the deadline passes first.
 */
export interface Turn {
  /** Epoch milliseconds after which a storage request of this turn is not worth waiting for. */
  readonly storageBy: number;
  /** Set once a write of this turn was sent to storage: past this, "nothing saved" is not known. */
  writing: boolean;
  /**
   * What to say if the deadline passes first, when the work knows better than the door (an
   * import that carries on past the answer); the door's plain message otherwise.
   */
  lateText?: string;
}

const turns = new AsyncLocalStorage<Turn | undefined>();

/** A turn whose storage requests must be done within `storageMs` from now. */
export const newTurn = (storageMs: number, now = Date.now()): Turn => ({
  storageBy: now + storageMs,
  writing: false,
});

/** Runs `work` as part of `turn`: everything it starts, however deep, sees the turn. */
export const runInTurn = <T>(turn: Turn, work: () => T): T => turns.run(turn, work);

/** Runs `work` outside any turn (work after an answer, with no deadline of its own). */
export const runOutsideTurn = <T>(work: () => T): T => turns.run(undefined, work);

/** The turn under way, if any. */
export const currentTurn = (): Turn | undefined => turns.getStore();

/**
 * How long a storage request may take: `limitMs`, or what is left of the turn's storage time
 * when that is less (at least 1 ms, so a request past its turn fails at once).
 */
export function requestLimitMs(limitMs: number, now = Date.now()): number {
  const turn = turns.getStore();
  return turn ? Math.max(1, Math.min(limitMs, turn.storageBy - now)) : limitMs;
}
