/** What a queue message says: which delivery record to send. Everything else is read fresh. */
export interface ReminderMessage {
  readonly planId: string;
  readonly id: string;
  readonly scheduledFor: string;
}

/** A message taken from the queue, invisible to others until deleted or its time runs out. */
export interface ReceivedReminder {
  readonly message: ReminderMessage;
  readonly messageId: string;
  readonly popReceipt: string;
  /** How many times it has been taken, this time included. */
  readonly dequeueCount: number;
}

/** A reminder that will not go: what it was, and why. */
export interface DeadLetter {
  readonly planId: string;
  readonly id: string;
  readonly ref: string;
  readonly kind: string;
  readonly recipient: string;
  readonly code: string;
  readonly reason: string;
  readonly attempts: number;
  /** ISO instant. */
  readonly failedAt: string;
}

/**
 * The fan-out between the sweep and the senders (Azure Storage Queue, or Azurite). At-least-once:
 * a message can come back (a sender died, its visibility ran out), so senders check the delivery
 * record before anything else.
 */
export interface ReminderQueue {
  send(message: ReminderMessage): Promise<void>;
  /** Up to `max` (1–32) messages, each hidden from other receivers for `visibilitySeconds`. */
  receive(max: number, visibilitySeconds: number): Promise<ReceivedReminder[]>;
  delete(received: ReceivedReminder): Promise<void>;
  /** Puts it back, visible again after `delaySeconds`. */
  retryLater(received: ReceivedReminder, delaySeconds: number): Promise<void>;
  /** Moves it to the dead-letter queue with the reason. */
  deadLetter(received: ReceivedReminder, letter: DeadLetter): Promise<void>;
  /** Messages on the queue, visible or not (approximate, as Azure counts them). */
  approximateCount(): Promise<number>;
  /** The dead letters (the first `max`, oldest first) and how many there are in all. */
  listDeadLetters(max?: number): Promise<{ letters: DeadLetter[]; total: number }>;
}
