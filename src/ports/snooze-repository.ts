import type { Snooze } from '../domain/reminder-policy.js';

/**
 * "Remind me later": one snooze per action (the latest wins), read by every sweep. Written by the
 * card's snooze button (app/reminders/snooze.ts), removed when it no longer matters.
 */
export interface SnoozeRepository {
  put(planId: string, snooze: Snooze): Promise<void>;
  list(planId: string): Promise<Snooze[]>;
  remove(planId: string, ref: string): Promise<void>;
}
