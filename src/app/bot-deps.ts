import type { CardView, ConversationScope, RenderCard } from '../ports/card-renderer.js';
import type { DigestSubscriptionRepository } from '../ports/digest-subscriptions.js';
import type { DownloadFile } from '../ports/file-download.js';
import type { PendingImportRepository } from '../ports/pending-imports.js';
import type { PlanDocumentReader } from '../ports/plan-document-reader.js';
import type { PeopleRepository } from '../ports/people-repository.js';
import type { TeamsAppInstaller } from '../ports/teams-app-installer.js';
import type { SentCardRepository } from '../ports/sent-card-repository.js';
import type { WriteProgressUpdate } from '../ports/progress-update-writer.js';
import type { AppDeps } from './deps.js';

export type { CardView, ConversationScope, RenderCard };

/**
 * What the bot's use cases need on top of the plan: the people it knows (for names, stored admins
 * and who it can reach), the admins named in configuration, and the card renderer. The renderer is
 * injected because use cases may not import src/cards (an adapter with its templating SDK); the
 * entry points pass `renderCard` from src/cards/render-card.ts.
 */
export type BotDeps = AppDeps & {
  readonly people: PeopleRepository;
  /** ADMIN_EMAILS: admins of every plan whatever storage says. */
  readonly adminEmails: readonly string[];
  /**
   * The tenants the bot answers (lower-case): ADMIN_EMAILS make admins only of accounts in them.
   * Empty or absent: any tenant.
   */
  readonly allowedTenantIds?: readonly string[];
  readonly renderCard: RenderCard;
  /**
   * Every copy of an action's card the bot sent (reminders, escalations, answers to card
   * presses), so that a change updates them all in place. Without it, copies are not tracked
   * (cards still refresh themselves for owners and champions).
   */
  readonly sentCards?: SentCardRepository;
  /** Lays out the progress update as Word, Excel or CSV for `export`; without it, no files. */
  readonly writeProgressUpdate?: WriteProgressUpdate;
  /** Channels subscribed to the weekly digest; without it, `subscribe digest` is not offered. */
  readonly digestSubscriptions?: DigestSubscriptionRepository;
  /**
   * Files sent to the bot: fetched (within the download client's caps), read, and kept for their
   * preview's Import button. Without all three, a file gets the command line to use instead.
   */
  readonly downloadFile?: DownloadFile;
  /** The time zone of a plan imported new from a file (PLAN_TIME_ZONE); Europe/London unless given. */
  readonly planTimeZone?: string;
  readonly readPlanDocument?: PlanDocumentReader;
  readonly pendingImports?: PendingImportRepository;
  /** Microsoft Graph installation, when configured: "who can you reach?" counts it as a path. */
  readonly installer?: TeamsAppInstaller;
};
