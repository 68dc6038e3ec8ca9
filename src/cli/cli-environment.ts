import type { Config } from '../config.js';
import type { Container } from '../container.js';
import type { ImportResult } from '../domain/parsed-plan.js';
import type { Progress } from '../ports/progress.js';

/**
 * What a command works with once storage is open: the container's dependencies (every store, the
 * clock, the admins, the card and document writers), the reminders' with the Teams notifier
 * (`reminders run`: the bot's SDKs load only then), and how to let go of them.
 */
export type Opened = Pick<Container, 'deps' | 'reminderDeps' | 'close'>;

/** What the commands need; main.ts gives the real one, tests their own. */
export interface CliEnvironment {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The configuration main.ts read, once: `serve` runs on it, a new plan takes its time zone. */
  readonly config: Config;
  /**
   * Opens storage and the rest (main.ts: `openContainer(config)`); called only by commands that
   * need it (not by --dry-run, and not by `serve`, which opens its own for as long as it runs).
   */
  readonly open: () => Promise<Opened>;
  readonly readPlanFile: (path: string) => Promise<ImportResult>;
  /** A progress bar for long jobs (export, import, restore); none when absent. */
  readonly progress?: () => Progress;
}
