/**
 * The verbs of the cards' Action.Execute buttons (Universal Actions), in one place: the templates
 * use these strings and the Teams routes register handlers for them, so a renamed verb cannot leave
 * a button that does nothing (Teams sends nothing for a missing verb and answers 501 for an
 * unrouted one). A test checks every Action.Execute in every card uses a verb listed here.
 *
 * Handlers (src/teams/card-action-route.ts registers every verb here, for Action.Execute and for
 * the Action.Submit fallback, whose data carries the same fields plus `verb`): a navigation
 * button carries a command as data, its verb naming the kind and its data the fields
 * (`commandOfButton` reads it, `buttonData` writes it), answered by `answerCommand` as the same
 * command typed would be, but never turned into text and read again; the action verbs by
 * src/app/card-actions, which check the data, the presser's role and the card's `version` (a
 * stale card is shown as it is now and asked again). Every action verb's data has
 * `{ ref, planId, version }`; the fields below come on top (inputs arrive in the same `data`).
 * A verb not listed here is answered with a message saying the button is not known, never 501.
 */
import { normaliseRef } from '../domain/action-ref.js';
import type { Command } from '../domain/command.js';

/** Show one action's card. Data: `{ ref, planId }`. */
export const SHOW_ACTION = 'showAction';
/** Show the presser's own actions. Data: `{ planId }`. */
export const MY_ACTIONS = 'myActions';
/**
 * Show status: of the area named, else the presser's areas (champions) or the plan; `overall`,
 * the whole plan whoever presses. Data: `{ planId, area?, overall? }`.
 */
export const SHOW_STATUS = 'showStatus';
/** Show every overdue action. Data: `{ planId }`. */
export const SHOW_OVERDUE = 'showOverdue';
/** Show progress per recommendation. Data: `{ planId }`. */
export const SHOW_PLAN = 'showPlan';
/** Show the help card. Data: `{ planId }`. */
export const SHOW_HELP = 'showHelp';

/**
 * Change an action's status. `status`: `in_progress`, `blocked` or `complete`; optional input
 * `statusNote` (at most 1,000 characters) goes with it.
 */
export const SET_STATUS = 'setStatus';
/** Add a progress note. Input `note` (1 to 1,000 characters once trimmed). */
export const ADD_NOTE = 'addNote';
/**
 * Propose a new target date. Inputs `date` (YYYY-MM-DD, today or later) and `reason` (required).
 * Moves the target at once (the champion is told) unless the plan needs approval of new dates.
 */
export const PROPOSE_DATE = 'proposeDate';
/**
 * "Remind me later". `for`: `3d` (three days), `1w` (a week) or `date`, with input `until`
 * (YYYY-MM-DD, after today).
 */
export const SNOOZE = 'snooze';
/**
 * "This isn't mine": the area's champion (an admin when the area has none) gets the reason and a
 * card to reassign it. Input `notMineReason` (required).
 */
export const NOT_MINE = 'notMine';
/** Champion or admin: accept the proposed target date (on the champion's card). */
export const APPROVE_DATE = 'approveDate';
/** Champion or admin: turn the proposed target date down; the target stays as it is. */
export const DECLINE_DATE = 'declineDate';
/** Champion or admin: give the action to others. Input `newOwners` (emails, commas between). */
export const REASSIGN = 'reassign';
/**
 * The card's `refresh` action (Universal Actions): Teams sends it for the users in
 * `refresh.userIds` when they open the card; the answer is the card as it is now, for them.
 * Data: `{ ref, planId }`.
 */
export const REFRESH_ACTION = 'refreshAction';

/**
 * Import the file an import preview card shows (the admin who sent it, once, before it expires).
 * Data: `{ previewId }`.
 */
export const IMPORT_PLAN = 'importPlan';
/** Cancel an import preview: nothing is imported. Data: `{ previewId }`. */
export const CANCEL_IMPORT = 'cancelImport';

export const NAVIGATION_VERBS = [
  SHOW_ACTION,
  MY_ACTIONS,
  SHOW_STATUS,
  SHOW_OVERDUE,
  SHOW_PLAN,
  SHOW_HELP,
  REFRESH_ACTION,
] as const;

export const ACTION_VERBS = [
  SET_STATUS,
  ADD_NOTE,
  PROPOSE_DATE,
  SNOOZE,
  NOT_MINE,
  APPROVE_DATE,
  DECLINE_DATE,
  REASSIGN,
] as const;

/** The buttons of an import preview (src/app/card-actions, one file each). */
export const IMPORT_VERBS = [IMPORT_PLAN, CANCEL_IMPORT] as const;

export const VERBS: readonly string[] = [...NAVIGATION_VERBS, ...ACTION_VERBS, ...IMPORT_VERBS];

export type Verb =
  (typeof NAVIGATION_VERBS)[number] | (typeof ACTION_VERBS)[number] | (typeof IMPORT_VERBS)[number];

/** The data of an import preview's buttons: the stored preview, by its id. */
export interface ImportButtonData {
  readonly previewId: string;
}

export const importButtonData = (previewId: string): ImportButtonData => ({ previewId });

export const isVerb = (v: unknown): v is Verb => typeof v === 'string' && VERBS.includes(v);

/** The commands a navigation button can carry: its verb names the kind, its data the fields. */
export type ButtonCommand = Extract<
  Command,
  { readonly kind: 'action' | 'myActions' | 'status' | 'overdue' | 'plan' | 'help' }
>;

/** A navigation button's data: the plan the card is about, and the command's fields. */
export type ButtonData<C extends ButtonCommand = ButtonCommand> = Omit<C, 'kind'> & {
  readonly planId: string;
};

/** The verb of each kind of button command (the templates name the same verbs). */
export const BUTTON_VERBS: { readonly [K in ButtonCommand['kind']]: Verb } = {
  action: SHOW_ACTION,
  myActions: MY_ACTIONS,
  status: SHOW_STATUS,
  overdue: SHOW_OVERDUE,
  plan: SHOW_PLAN,
  help: SHOW_HELP,
};

/** The data of a button that carries `command`, about plan `planId`. */
export function buttonData<C extends ButtonCommand>(command: C, planId: string): ButtonData<C> {
  const { kind: _kind, ...fields } = command;
  return { ...fields, planId } as ButtonData<C>;
}

/**
 * The data of the buttons whose commands have no fields (my actions, status, overdue, plan,
 * help): the plan alone, so one object serves all of them on a card ('' when no plan is known).
 */
export type PlanButtonData = ButtonData<
  Extract<ButtonCommand, { readonly kind: 'myActions' | 'overdue' | 'plan' | 'help' }>
>;

export const planButtonData = (planId: string): PlanButtonData => ({ planId });

/** The data of a button that opens an action's card (rows of lists, the card's refresh). */
export const actionButtonData = (ref: string, planId: string): ButtonData<ActionCommand> =>
  buttonData({ kind: 'action', ref }, planId);

type ActionCommand = Extract<ButtonCommand, { readonly kind: 'action' }>;

/** Area names are at most this long (add-area.ts); longer button data is not an area. */
const MAX_AREA_CHARS = 100;

/**
 * The command a navigation button carries, read from its verb and data (untrusted: a press can
 * be made up), with the plan the card was about. Undefined for verbs that change an action, and
 * for data that does not fit the command (a ref that is not one, an area that is not text).
 */
export function commandOfButton(
  verb: string,
  data: unknown,
): { readonly command: ButtonCommand; readonly planId?: string } | undefined {
  const fields: Readonly<Record<string, unknown>> =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const text = (k: string): string | undefined => {
    const v = fields[k];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const planId = text('planId');
  const command = ((): ButtonCommand | undefined => {
    switch (verb) {
      case SHOW_ACTION:
      case REFRESH_ACTION: {
        const ref = text('ref');
        const normalised = ref === undefined ? undefined : normaliseRef(ref);
        return normalised ? { kind: 'action', ref: normalised } : undefined;
      }
      case MY_ACTIONS:
        return { kind: 'myActions' };
      case SHOW_STATUS: {
        // Absent or blank: no area. Anything else that is not a name: not a button of ours.
        const raw = fields['area'];
        const area = text('area');
        if (raw !== undefined && raw !== null && typeof raw !== 'string') return undefined;
        if (area && area.length > MAX_AREA_CHARS) return undefined;
        if (area) return { kind: 'status', area };
        return fields['overall'] === true ? { kind: 'status', overall: true } : { kind: 'status' };
      }
      case SHOW_OVERDUE:
        return { kind: 'overdue' };
      case SHOW_PLAN:
        return { kind: 'plan' };
      case SHOW_HELP:
        return { kind: 'help' };
      default:
        return undefined;
    }
  })();
  return command && { command, ...(planId ? { planId } : {}) };
}
