import { dueness } from '../domain/progress.js';
import type { CardView, PersonView } from '../ports/card-renderer.js';
import { actionCardData, type ActionCardData } from './action-cards.js';
import {
  dueColor,
  dueLabel,
  ownersLabel,
  personLabel,
  targetLabel,
  type CardColor,
} from './card-format.js';

type View<K extends CardView['kind']> = Extract<CardView, { kind: K }>;

export interface ReminderCardData extends ActionCardData {
  /** "Action 4.9a is due in 7 days". */
  readonly heading: string;
  readonly dueColor: CardColor;
  /** Why this card came, in a sentence or two. */
  readonly intro: string;
  readonly hasLateNote: boolean;
  readonly lateNote: string;
  /** Owners get "This isn't mine"; champions and admins do not. */
  readonly isOwner: boolean;
  /** "Remind me later": owners of open actions. */
  readonly canSnooze: boolean;
}

/**
 * The reminder card: why it came (due soon, due today, overdue, a monthly check-in, the snooze
 * the owner asked for, an escalation to the champion), then the action as the owner needs it to
 * answer — ref, text, recommendation, target as written and as a date with how far off it is,
 * status, owners, the latest note — and the action card's buttons (verbs.ts), so one or two
 * clicks update it.
 */
export function reminderCardData(view: View<'reminder'>): ReminderCardData {
  const { action, today, reason } = view;
  const base = actionCardData({
    kind: 'action',
    plan: view.plan,
    action,
    version: view.version,
    owners: view.owners,
    history: [],
    today,
  });
  const d = dueness(action, today);
  const due = dueLabel(action, today);
  const ref = action.ref;
  const isOwner = reason.role === 'owner';
  return {
    ...base,
    heading: headingOf(reason.kind, ref, due),
    dueColor: dueColor(d),
    intro: introOf(view, due),
    hasLateNote: reason.caughtUp === true,
    lateNote: reason.caughtUp
      ? "This reminder is late: I couldn't send it on the day it was due."
      : '',
    isOwner,
    canSnooze: isOwner && base.isOpen,
  };
}

function headingOf(kind: string, ref: string, due: string): string {
  switch (kind) {
    case 'check_in':
      return `Monthly check-in: action ${ref}`;
    case 'snoozed':
      return `You asked me to remind you: action ${ref}`;
    case 'unreachable_owner':
      return `I can't reach the owner of action ${ref}`;
    default:
      return `Action ${ref} is ${due}`;
  }
}

function introOf(view: View<'reminder'>, due: string): string {
  const { action, reason } = view;
  const target = targetLabel(action);
  const update = 'Update it here: a new status, a note, or a new date with the reason.';
  switch (reason.kind) {
    case 'before': {
      const n = reason.workingDaysBefore ?? 0;
      return `Its target, ${target}, is ${n} working ${n === 1 ? 'day' : 'days'} away. If it is on track, a quick note says so; if not, propose a new date.`;
    }
    case 'due_today':
      return `Today is its target date (${target}). ${update}`;
    case 'overdue':
      return `Its target was ${target}, and it is still open. ${update}`;
    case 'snoozed':
      return `It is ${due}. ${update}`;
    case 'check_in':
      return action.target.kind === 'unresolved'
        ? `Its target, "${action.target.text}", is not a date I can track: how is it going, and can you propose a date?`
        : 'This action is ongoing: how is it going? A note or a new status keeps everyone up to date.';
    case 'escalation':
      return reason.role === 'admin'
        ? `Its area has no KIM Champion, so I'm telling you as a plan admin: it is ${due} and still open. Owner: ${ownersLabel(view.owners)}.`
        : `I'm telling you as its KIM Champion: it is ${due} and still open. Owner: ${ownersLabel(view.owners)}.`;
    case 'unreachable_owner': {
      const who = reason.about ? personLabel(about(reason.about)) : 'its owner';
      // The reason as it stands: Teams' refusal, two accounts with one address, no way in.
      const why =
        reason.about?.why ?? 'Teams refused my reminder: they may have removed or blocked the bot.';
      return `I can't reach ${who}. ${why} Please chase them, or ask a plan admin to assign the action to someone else.`;
    }
    default:
      return update;
  }
}

/** The unreachable person named as they are, without the "(not yet reachable)" flag. */
const about = (p: PersonView): PersonView => ({ ...p, reachable: true });
