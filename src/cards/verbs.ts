/**
 * The verbs of the cards' Action.Execute buttons (Universal Actions), in one place: the templates
 * use these strings and the Teams routes register handlers for them, so a renamed verb cannot leave
 * a button that does nothing (Teams sends nothing for a missing verb and answers 501 for an
 * unrouted one). A test checks every Action.Execute in every card uses a verb listed here.
 *
 * Handlers: the navigation verbs below can be answered by `answerCommand` with the matching
 * command (see `commandTextFor`). The action-changing verbs (SET_STATUS, ADD_NOTE, PROPOSE_DATE,
 * SNOOZE, NOT_MINE) are on the action card already, carrying `{ ref, planId, version }`, but their
 * handlers come in a later issue: until a route is registered for a verb, Teams gets 501 for it.
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

/** Change an action's status. Data: `{ ref, planId, version, status }` (status: a Status). */
export const SET_STATUS = 'setStatus';
/** Add a progress note. Data: `{ ref, planId, version }`; input `note`. */
export const ADD_NOTE = 'addNote';
/** Propose a new target date. Data: `{ ref, planId, version }`; inputs `date` (YYYY-MM-DD), `reason`. */
export const PROPOSE_DATE = 'proposeDate';
/** "Remind me later". Data: `{ ref, planId, version }`. */
export const SNOOZE = 'snooze';
/** "This isn't mine": tell the admins and the area's champion. Data: `{ ref, planId, version }`. */
export const NOT_MINE = 'notMine';

export const NAVIGATION_VERBS = [
  SHOW_ACTION,
  MY_ACTIONS,
  SHOW_STATUS,
  SHOW_OVERDUE,
  SHOW_PLAN,
  SHOW_HELP,
] as const;

export const ACTION_VERBS = [SET_STATUS, ADD_NOTE, PROPOSE_DATE, SNOOZE, NOT_MINE] as const;

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
    case SHOW_ACTION: {
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
