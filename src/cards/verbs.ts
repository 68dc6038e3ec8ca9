/**
 * The verbs of the cards' Action.Execute buttons (Universal Actions), in one place: the templates
 * use these strings and the Teams routes register handlers for them, so a renamed verb cannot leave
 * a button that does nothing (Teams sends nothing for a missing verb and answers 501 for an
 * unrouted one). A test checks every Action.Execute in every card uses a verb listed here.
 *
 * Handlers (src/teams/card-action-route.ts registers every verb here, for Action.Execute and for
 * the Action.Submit fallback, whose data carries the same fields plus `verb`): the navigation
 * verbs are answered by `answerCommand` with the matching command (see `commandTextFor`); the
 * action verbs by src/app/card-actions, which check the data, the presser's role and the card's
 * `version` (a stale card is shown as it is now and asked again). Every action verb's data has
 * `{ ref, planId, version }`; the fields below come on top (inputs arrive in the same `data`).
 * A verb not listed here is answered with a message saying the button is not known, never 501.
 */

/** Show one action's card. Data: `{ ref, planId }`. */
export const SHOW_ACTION = 'showAction';
/** Show the presser's own actions. Data: `{ planId }`. */
export const MY_ACTIONS = 'myActions';
/** Show status: the presser's areas (champions) or the plan. Data: `{ planId, area? }`. */
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

export const VERBS: readonly string[] = [...NAVIGATION_VERBS, ...ACTION_VERBS];

export type Verb = (typeof NAVIGATION_VERBS)[number] | (typeof ACTION_VERBS)[number];

export const isVerb = (v: unknown): v is Verb => typeof v === 'string' && VERBS.includes(v);

/**
 * The chat command a navigation button stands for, so the Teams edge can answer a button press
 * with `answerCommand({ text: commandTextFor(verb, data), planId: data.planId, … })` — the same
 * answer as typing it. Undefined for verbs that change an action, and for data that does not fit.
 */
export function commandTextFor(
  verb: string,
  data: Readonly<Record<string, unknown>>,
): string | undefined {
  const str = (k: string): string | undefined =>
    typeof data[k] === 'string' && data[k] !== '' ? (data[k] as string) : undefined;
  switch (verb) {
    case SHOW_ACTION:
    case REFRESH_ACTION: {
      const ref = str('ref');
      return ref && /^\d{1,3}\.\d{1,3}[a-z]?$/i.test(ref) ? `action ${ref}` : undefined;
    }
    case MY_ACTIONS:
      return 'my actions';
    case SHOW_STATUS: {
      const area = str('area');
      return area ? `status ${area}` : 'status';
    }
    case SHOW_OVERDUE:
      return 'overdue';
    case SHOW_PLAN:
      return 'plan';
    case SHOW_HELP:
      return 'help';
    default:
      return undefined;
  }
}
