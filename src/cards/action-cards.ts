import { formatDate, todayIn } from '../domain/calendar.js';
import type { Action } from '../domain/plan.js';
import { priorityLabel } from '../domain/priority.js';
import { dueness } from '../domain/progress.js';
import { isDone, statusLabel, type Status } from '../domain/status.js';
import type { CardView, PersonView } from '../ports/card-renderer.js';
import {
  byLabel,
  dueColor,
  dueLabel,
  historyWhat,
  historyWhen,
  LIMITS,
  limitText,
  moreText,
  ownersLabel,
  planLine,
  targetLabel,
  truncateText,
  type CardColor,
} from './card-format.js';
import { ADD_NOTE, NOT_MINE, PROPOSE_DATE, SET_STATUS, SNOOZE } from './verbs.js';

type View<K extends CardView['kind']> = Extract<CardView, { kind: K }>;

/** What every button of the action card sends back: which action, at which version. */
export interface ActionPayload {
  readonly ref: string;
  readonly planId: string;
  readonly version: string;
}

export interface ActionCardData {
  readonly planTitle: string;
  readonly title: string;
  readonly dueText: string;
  readonly dueColor: CardColor;
  readonly recommendationLine: string;
  readonly text: string;
  readonly facts: readonly { title: string; value: string }[];
  readonly hasNote: boolean;
  readonly note: string;
  readonly hasHistory: boolean;
  readonly history: readonly { when: string; who: string; what: string }[];
  readonly statusOptions: readonly {
    title: string;
    payload: ActionPayload & { status: Status };
    submitPayload: ActionPayload & { status: Status; verb: string };
  }[];
  readonly isOpen: boolean;
  readonly today: string;
  readonly payload: ActionPayload;
  /** Action.Submit fallbacks for clients without Universal Actions: the same data plus the verb. */
  readonly submitPayloads: Readonly<Record<'note' | 'date' | 'snooze' | 'notMine', object>>;
}

/** The statuses an owner moves an action to from its card; "closed" is left to admins. */
const CARD_STATUSES: readonly Status[] = ['in_progress', 'blocked', 'complete'];

/**
 * One action in full: text, recommendation, target (as written and as a date, with how far off
 * it is), status, owners (flagging those the bot cannot reach yet), area, the latest note and the
 * last few history entries, with buttons to update it.
 */
export function actionCardData(view: View<'action'>): ActionCardData {
  const { action, plan, today } = view;
  const d = dueness(action, today);
  const recommendation = plan.recommendations.find((r) => r.number === action.recommendation);
  const payload: ActionPayload = { ref: action.ref, planId: plan.id, version: view.version };
  return {
    planTitle: planLine(plan),
    title: `Action ${action.ref}`,
    dueText: d.kind === 'done' ? statusLabel(action.status) : dueLabel(action, today),
    dueColor: dueColor(d),
    recommendationLine: recommendation
      ? `Recommendation ${recommendation.number}: ${truncateText(recommendation.text, 300)}`
      : `Recommendation ${action.recommendation}`,
    text: limitText(action.text, LIMITS.textInCard),
    facts: [
      { title: 'Status', value: statusLabel(action.status) },
      { title: 'Priority', value: priorityLabel(action.priority) },
      {
        title: 'Target',
        value:
          d.kind === 'due' || d.kind === 'overdue'
            ? `${targetLabel(action)} — ${dueLabel(action, today)}`
            : targetLabel(action),
      },
      {
        title: view.owners.length > 1 ? 'Owners' : 'Owner',
        value: ownersLabel(view.owners, 'Nobody yet: a plan admin can assign it'),
      },
      { title: 'Area', value: action.area ?? 'None yet' },
      {
        title: 'Last updated',
        value: `${formatDate(todayIn(plan.timeZone, new Date(action.updatedAt)))} by ${byLabel(action.updatedBy, view.updatedByName)}`,
      },
    ],
    hasNote: Boolean(action.note),
    note: limitText(action.note ?? '', LIMITS.noteInCard),
    hasHistory: view.history.length > 0,
    history: view.history.map((h) => ({
      when: historyWhen(h, plan.timeZone),
      who: byLabel(h.by, h.byName),
      what: historyWhat(h),
    })),
    statusOptions: CARD_STATUSES.filter((s) => s !== action.status).map((status) => ({
      title: `Mark ${statusLabel(status).toLowerCase()}`,
      payload: { ...payload, status },
      submitPayload: { ...payload, status, verb: SET_STATUS },
    })),
    isOpen: !isDone(action.status),
    today,
    payload,
    submitPayloads: {
      note: { ...payload, verb: ADD_NOTE },
      date: { ...payload, verb: PROPOSE_DATE },
      snooze: { ...payload, verb: SNOOZE },
      notMine: { ...payload, verb: NOT_MINE },
    },
  };
}

export interface ActionListCardData {
  readonly planTitle: string;
  readonly title: string;
  readonly hasIntro: boolean;
  readonly intro: string;
  readonly rows: readonly {
    ref: string;
    text: string;
    line: string;
    color: CardColor;
    payload: { ref: string; planId: string };
  }[];
  readonly hasMore: boolean;
  readonly moreText: string;
}

/**
 * A list of actions (my actions, overdue): one row each, the first LIMITS.listRows of them, so a
 * list of 200 stays a card Teams will send; a row opens the action's card.
 */
export function actionListCardData(view: View<'actionList'>): ActionListCardData {
  const shown = view.items.slice(0, LIMITS.listRows);
  const more = view.items.length - shown.length;
  return {
    planTitle: planLine(view.plan),
    title: view.title,
    hasIntro: Boolean(view.intro),
    intro: view.intro ?? '',
    rows: shown.map(({ action, owners }) => ({
      ref: action.ref,
      text: truncateText(action.text, LIMITS.textInList),
      line: rowLine(action, owners, view.today),
      color: dueColor(dueness(action, view.today)),
      payload: { ref: action.ref, planId: view.plan.id },
    })),
    hasMore: more > 0,
    moreText: more > 0 ? moreText(more) : '',
  };
}

/** "In progress · 3 days overdue · Ann Smith · HMPPS". */
function rowLine(action: Action, owners: readonly PersonView[], today: string): string {
  const d = dueness(action, today);
  return [
    statusLabel(action.status),
    ...(d.kind === 'done' ? [] : [dueLabel(action, today)]),
    ownersLabel(owners),
    ...(action.area ? [action.area] : []),
  ].join(' · ');
}
