import type { AppDeps } from '../app/deps.js';
import type { ImportResult } from '../domain/parsed-plan.js';
import type { Progress } from '../ports/progress.js';
import type { RemindersEnvironment } from './reminders-command.js';

/** What the commands need; main.ts gives the real one, tests their own. */
export interface CliEnvironment {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Opens storage and the rest; called only by commands that need it (not by --dry-run). */
  readonly open: () => Promise<{ deps: AppDeps; close: () => Promise<void> }>;
  readonly readPlanFile: (path: string) => Promise<ImportResult>;
  readonly defaultTimeZone: string;
  /** A progress bar for long jobs (export, import, restore); none when absent. */
  readonly progress?: () => Progress;
  /** The reminder scheduler's dependencies; from the configuration when absent (main.ts). */
  readonly openReminders?: RemindersEnvironment['openReminders'];
}
