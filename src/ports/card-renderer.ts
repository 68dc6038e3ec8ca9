import type { Action, HistoryEntry, Plan } from '../domain/plan.js';
import type { Digest } from '../domain/digest.js';
import type { FieldChange } from '../domain/plan-import.js';
import type { Status } from '../domain/status.js';
import type { ProgressSummary, RecommendationProgress, StatusCounts } from '../domain/progress.js';

/**
 * How the use cases draw cards without knowing Adaptive Card JSON: they say WHAT to show (a view
 * of domain data, complete and unformatted), the renderer in src/cards says HOW (templates,
 * wording of dates, escaping of typed text, trimming long lists to stay under Teams' size limit).
 * Use cases may not import src/cards (an adapter, with its templating SDK), hence this port.
 *
 * Every card it returns is at most MAX_CARD_BYTES, whatever the view: one that would be bigger
 * (an action with hundreds of owners, a plan title pasted from a whole document) is drawn as
 * `fallback` instead, the caller's own plain words for it, or without one as a notice that the
 * answer was too long. Every card the bot sends is drawn here, so none can be refused by Teams.
 */
export type RenderCard = (view: CardView, fallback?: PlainFallback) => RenderedCard;

/** What to show when a card would be too big: a short message card, no lists, no buttons. */
export type PlainFallback = Omit<Extract<CardView, { kind: 'message' }>, 'kind'>;

/**
 * Cards stay under this size, half of Teams' ~80 KB message limit: room for the connector's
 * envelope, and a margin for the longest names and notes. The card builders trim long lists well
 * before it; this is the guard for what they cannot trim.
 */
export const MAX_CARD_BYTES = 40 * 1024;

/** A card's size as Teams counts it: the UTF-8 bytes of its JSON. */
export const cardBytes = (card: object): number =>
  new TextEncoder().encode(JSON.stringify(card)).length;

/** An Adaptive Card as plain JSON (schema 1.5), ready to send. Same shape as app's AdaptiveCard. */
export type RenderedCard = Record<string, unknown>;

export type ConversationScope = 'personal' | 'groupChat' | 'channel';

/** An owner or champion as the bot knows them. */
export interface PersonView {
  readonly email: string;
  /** Display name, when the person has installed the bot or been named with one. */
  readonly name?: string;
  /** False until they install the bot (or when Teams refuses messages to them). */
  readonly reachable: boolean;
  /** Why the bot cannot reach them, in plain words (when it cannot and the reason is known). */
  readonly why?: string;
}

/** An action in a list, with its owners resolved to people. */
export interface ActionListItem {
  readonly action: Action;
  readonly owners: readonly PersonView[];
}

/** A line at the top of an action card saying what just happened. */
export interface CardBanner {
  readonly text: string;
  readonly tone: 'info' | 'good' | 'warning' | 'attention';
}

/** Which buttons an action card shows to the person it is for. */
export interface ActionViewer {
  /** Status, notes, a new date, remind me later: owners, the area's champion, admins. */
  readonly canChange: boolean;
  /** "This isn't mine": owners only. */
  readonly isOwner: boolean;
  /** Approve or decline a proposed date, reassign: the area's champion and admins. */
  readonly canDecide: boolean;
}

/** A history entry with the display name of who made it, when known. */
export type HistoryView = HistoryEntry & { readonly byName?: string };

export type CardView =
  | {
      readonly kind: 'welcome';
      readonly scope: ConversationScope;
      readonly name?: string;
      /** Absent when no plan is imported yet (or the plan cannot be chosen). */
      readonly plan?: Plan;
      readonly roleSummary: string;
      readonly isAdmin: boolean;
    }
  | {
      readonly kind: 'help';
      readonly scope: ConversationScope;
      readonly isAdmin: boolean;
      readonly planId?: string;
      /** A real ref and area of the plan, so examples can be tried as written. */
      readonly exampleRef?: string;
      readonly exampleArea?: string;
    }
  | {
      readonly kind: 'message';
      readonly title?: string;
      readonly text: string;
      /** Further lines (an error's details, a list of areas), shown as a list. */
      readonly details?: readonly string[];
      readonly tone?: 'info' | 'good' | 'warning' | 'attention';
    }
  | {
      readonly kind: 'action';
      readonly plan: Plan;
      readonly action: Action;
      /** The version read, sent back by the card's buttons so a stale card cannot win silently. */
      readonly version: string;
      readonly owners: readonly PersonView[];
      /** The display name of whoever last changed the action, when known. */
      readonly updatedByName?: string;
      /** Newest first, already cut to what should show. */
      readonly history: readonly HistoryView[];
      readonly today: string;
      /** What just happened, shown at the top: saved, out of date, not allowed. */
      readonly banner?: CardBanner;
      /**
       * What the person the card is for may do; absent, the card offers the owner's buttons to
       * whoever sees it (every press is checked anyway).
       */
      readonly viewer?: ActionViewer;
      /**
       * Teams users (ids such as "29:…", at most 60) whose clients fetch the card as it is now
       * whenever they open it (Universal Actions `refresh`); absent or empty, no refresh.
       */
      readonly refreshUserIds?: readonly string[];
    }
  | {
      readonly kind: 'actionList';
      readonly plan: Plan;
      readonly title: string;
      readonly intro?: string;
      /** Every item, in the order to show; the renderer shows the first rows and counts the rest. */
      readonly items: readonly ActionListItem[];
      readonly today: string;
    }
  | {
      readonly kind: 'status';
      readonly plan: Plan;
      /** The areas shown (names as stored); absent for the whole plan. */
      readonly areas?: readonly string[];
      readonly champions?: readonly PersonView[];
      readonly summary: ProgressSummary;
      /** People by lower-cased email, to name the owners in the lists. */
      readonly people: ReadonlyMap<string, PersonView>;
      /** Progress per recommendation of the actions shown, for the stacked bar chart. */
      readonly recommendations?: readonly RecommendationProgress[];
    }
  | {
      /** The weekly digest for a channel (posted, or shown by `digest preview`). */
      readonly kind: 'digest';
      readonly plan: Plan;
      readonly digest: Digest;
      /** People by lower-cased email, to name owners and who changed what. */
      readonly people: ReadonlyMap<string, PersonView>;
      /** Owners Teams can @mention, by lower-cased email: their Teams id ("29:…") and name. */
      readonly mentions: ReadonlyMap<string, { readonly id: string; readonly name: string }>;
      /** The Monday (YYYY-MM-DD) of a digest missed while the bot was down, sent late. */
      readonly lateFor?: string;
      /** Shown by `digest preview`: not posted. */
      readonly preview?: boolean;
    }
  | {
      readonly kind: 'planProgress';
      readonly plan: Plan;
      readonly overall: StatusCounts;
      readonly recommendations: readonly RecommendationProgress[];
    }
  | {
      /**
       * What importing a file sent to the bot would do, with Import and Cancel buttons: the
       * preview is stored (`previewId`) until `expiresAt`.
       */
      readonly kind: 'importPreview';
      readonly previewId: string;
      readonly fileName: string;
      readonly title: string;
      /** The document's "Progress update – <label>" label, or ''. */
      readonly progressUpdate: string;
      readonly recommendationCount: number;
      readonly actionCount: number;
      readonly byStatus: Readonly<Record<Status, number>>;
      /** Every warning, each with its place ("Table 2, row 5: …"); the card shows the first. */
      readonly warnings: readonly string[];
      /** When the plan is stored already: what the file would change in it. */
      readonly update?: ImportUpdateView;
      /** When the buttons stop working, as people read it ("10:42"). */
      readonly expiresAt: string;
    }
  | {
      /** A reminder sent proactively: the action, why it is being sent, and its buttons. */
      readonly kind: 'reminder';
      readonly plan: Plan;
      readonly action: Action;
      /** The version read, sent back by the buttons (as on the action card). */
      readonly version: string;
      readonly reason: ReminderReason;
      readonly owners: readonly PersonView[];
      readonly today: string;
    };

/** A newer progress update of a stored plan: what importing it would change. */
export interface ImportUpdateView {
  readonly storedProgressUpdate: string;
  /** Refs of actions new in the file. */
  readonly added: readonly string[];
  /** Texts, priorities, targets and statuses that would change, one per field. */
  readonly changes: readonly FieldChange[];
  readonly unchanged: number;
  /** Stored actions the file does not list: kept, never deleted. */
  readonly notInDocument: readonly string[];
  /** Owners and areas set in the bot, kept though the file disagrees. */
  readonly kept: readonly string[];
}

/** Why a reminder card is sent, and to whom (it changes the heading and the buttons). */
export interface ReminderReason {
  /** A ReminderKind of the policy, or `unreachable_owner` (a champion told Teams refused an owner). */
  readonly kind: string;
  readonly workingDaysBefore?: number;
  /** Owners get every button; champions and admins do not get "remind me later" or "not mine". */
  readonly role: 'owner' | 'champion' | 'admin';
  /** It was due on an earlier day and goes out late (after downtime). */
  readonly caughtUp?: boolean;
  /** For `unreachable_owner`: the owner Teams refused. */
  readonly about?: PersonView;
}
