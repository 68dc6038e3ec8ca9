import { DateTime } from 'luxon';
import { formatDate, todayIn } from '../domain/calendar.js';
import type { Action } from '../domain/plan.js';
import { priorityLabel } from '../domain/priority.js';
import { describeDueness, dueness } from '../domain/progress.js';
import { isDone, statusLabel, type Status } from '../domain/status.js';
import type { ActionViewer, CardBanner, CardView, PersonView } from '../ports/card-renderer.js';
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
import {
  ADD_NOTE,
  APPROVE_DATE,
  DECLINE_DATE,
  NOT_MINE,
  PROPOSE_DATE,
  REASSIGN,
  SET_STATUS,
  SNOOZE,
  actionButtonData,
  type ButtonCommand,
  type ButtonData,
} from './verbs.js';

type ActionCommand = Extract<ButtonCommand, { readonly kind: 'action' }>;

type View<K extends CardView['kind']> = Extract<CardView, { kind: K }>;

/** What every button of the action card sends back: which action, at which version. */
export interface ActionPayload {
  readonly ref: string;
  readonly planId: string;
  readonly version: string;
}

/** A button's data both ways: Action.Execute's, and the Action.Submit fallback's (with the verb). */
export interface ButtonPayloads<P extends object = ActionPayload> {
  readonly payload: P;
  readonly submitPayload: P & { verb: string };
}

export interface ActionCardData {
  readonly hasBanner: boolean;
  readonly bannerText: string;
  readonly bannerStyle: 'default' | 'emphasis' | 'good' | 'warning' | 'attention';
  readonly planTitle: string;
  readonly title: string;
  /** "Updated by Alex Owner on 20 June 2017". */
  readonly updatedLine: string;
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
  /** The earliest day "remind me later" may choose. */
  readonly tomorrow: string;
  readonly canChange: boolean;
  readonly canPropose: boolean;
  readonly canSnooze: boolean;
  readonly isOwner: boolean;
  readonly canDecide: boolean;
  readonly hasProposal: boolean;
  readonly proposalText: string;
  readonly showDecision: boolean;
  readonly approve: ButtonPayloads;
  readonly decline: ButtonPayloads;
  readonly reassign: ButtonPayloads;
  readonly notMine: ButtonPayloads;
  readonly snoozeOptions: readonly ({ title: string } & ButtonPayloads<
    ActionPayload & { for: string }
  >)[];
  readonly snoozeDate: ButtonPayloads<ActionPayload & { for: string }>;
  readonly hasRefresh: boolean;
  readonly refresh: {
    readonly payload: ButtonData<ActionCommand>;
    readonly userIds: readonly string[];
  };
  readonly payload: ActionPayload;
  /** Action.Submit fallbacks for clients without Universal Actions: the same data plus the verb. */
  readonly submitPayloads: Readonly<Record<'note' | 'date' | 'snooze' | 'notMine', object>>;
}

/** The statuses an owner moves an action to from its card; "closed" is left to admins. */
export const CARD_STATUSES: readonly Status[] = ['in_progress', 'blocked', 'complete'];

/** Without a viewer, the card offers the owner's buttons to whoever sees it (as it always did). */
const ANYONE: ActionViewer = { canChange: true, isOwner: true, canDecide: false };

/** Teams lets a card name at most 60 users to refresh it automatically. */
export const MAX_REFRESH_USERS = 60;

const BANNER_STYLE: Record<CardBanner['tone'], ActionCardData['bannerStyle']> = {
  info: 'emphasis',
  good: 'good',
  warning: 'warning',
  attention: 'attention',
};

const buttons = <P extends object>(payload: P, verb: string): ButtonPayloads<P> => ({
  payload,
  submitPayload: { ...payload, verb },
});

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
  const viewer = view.viewer ?? ANYONE;
  const isOpen = !isDone(action.status);
  const proposal = action.proposedTarget;
  const refreshUserIds = [...new Set(view.refreshUserIds ?? [])].slice(0, MAX_REFRESH_USERS);
  const updatedOn = formatDate(todayIn(plan.timeZone, new Date(action.updatedAt)));
  return {
    hasBanner: view.banner !== undefined,
    bannerText: view.banner?.text ?? '',
    bannerStyle: BANNER_STYLE[view.banner?.tone ?? 'info'],
    planTitle: planLine(plan),
    title: `Action ${action.ref}`,
    updatedLine: `Updated by ${byLabel(action.updatedBy, view.updatedByName)} on ${updatedOn}`,
    dueText: d.kind === 'done' ? statusLabel(action.status) : describeDueness(d),
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
            ? `${targetLabel(action)} — ${describeDueness(d)}`
            : targetLabel(action),
      },
      {
        title: view.owners.length > 1 ? 'Owners' : 'Owner',
        value: ownersLabel(view.owners, 'Nobody yet: a plan admin can assign it'),
      },
      { title: 'Area', value: action.area ?? 'None yet' },
      ...(action.snooze && action.snooze.until > today && isOpen
        ? [{ title: 'Reminders', value: `Paused until ${formatDate(action.snooze.until)}` }]
        : []),
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
    isOpen,
    today,
    tomorrow: DateTime.fromISO(today, { zone: 'UTC' }).plus({ days: 1 }).toISODate() ?? today,
    canChange: viewer.canChange,
    canPropose: viewer.canChange && isOpen && !proposal,
    canSnooze: viewer.canChange && isOpen,
    isOwner: viewer.isOwner,
    canDecide: viewer.canDecide,
    hasProposal: proposal !== undefined,
    proposalText: proposal
      ? `${byLabel(proposal.by, view.owners.find((o) => o.email === proposal.by)?.name)} proposed ${formatDate(proposal.date)}: “${limitText(proposal.reason, LIMITS.noteInCard)}”. It needs the KIM Champion's approval.`
      : '',
    showDecision: proposal !== undefined && viewer.canDecide,
    approve: buttons(payload, APPROVE_DATE),
    decline: buttons(payload, DECLINE_DATE),
    reassign: buttons(payload, REASSIGN),
    notMine: buttons(payload, NOT_MINE),
    snoozeOptions: [
      { title: 'In 3 days', ...buttons({ ...payload, for: '3d' }, SNOOZE) },
      { title: 'In a week', ...buttons({ ...payload, for: '1w' }, SNOOZE) },
    ],
    snoozeDate: buttons({ ...payload, for: 'date' }, SNOOZE),
    hasRefresh: refreshUserIds.length > 0,
    refresh: { payload: actionButtonData(action.ref, plan.id), userIds: refreshUserIds },
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
    payload: ButtonData<ActionCommand>;
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
      payload: actionButtonData(action.ref, view.plan.id),
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
