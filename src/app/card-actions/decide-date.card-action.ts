import { formatDate } from '../../domain/calendar.js';
import { ActionPlanError } from '../../domain/errors.js';
import type { Action } from '../../domain/plan.js';
import { normaliseEmail } from '../../domain/plan.js';
import type { ActionVerb, Outcome, VerbPress } from './card-verb.js';
import { PROPOSED_TARGET } from './propose-date.card-action.js';
import { decideRefusal } from './refusals.js';

type NoData = Record<string, never>;

function pending(current: Action) {
  if (!current.proposedTarget) {
    throw new ActionPlanError(
      'invalid_input',
      `No new date is waiting for approval on action ${current.ref}: it may have been decided already. Nothing has changed.`,
    );
  }
  return current.proposedTarget;
}

/** Whoever proposed the date hears the decision, on their own copy of the card. */
function decision(
  result: { before: Action; action: { value: Action } },
  { scene, by, byName }: VerbPress,
  text: (proposed: string) => { mine: string; theirs: string },
): Outcome {
  const proposal = result.before.proposedTarget!;
  const words = text(formatDate(proposal.date));
  const proposer = scene.people.get(normaliseEmail(proposal.by));
  const others =
    proposer && normaliseEmail(proposer.email) !== normaliseEmail(by) ? [proposer] : [];
  return {
    banner: { tone: 'good', text: words.mine },
    notices: [
      {
        to: others.filter((p) => p.reachable && p.conversation !== undefined),
        kind: 'date-decision',
        banner: { tone: 'info', text: `${byName} ${words.theirs}` },
      },
    ],
  };
}

/** The champion (or an admin) accepts the proposed date: it becomes the target. */
export const approveDate: ActionVerb<NoData> = {
  read: () => ({}),
  refusal: decideRefusal('approve a new date for'),
  attempted: (_data, scene) => ({
    field: 'target',
    ...(scene.action.value.proposedTarget
      ? { to: formatDate(scene.action.value.proposedTarget.date) }
      : {}),
  }),
  apply(current) {
    const proposal = pending(current);
    const { proposedTarget: _decided, ...rest } = current;
    const to = formatDate(proposal.date);
    return {
      action: { ...rest, target: { kind: 'date', text: to, date: proposal.date } },
      entry: {
        field: 'target',
        from: current.target.text,
        to,
        note: `Approved; proposed by ${proposal.by}: ${proposal.reason}`,
      },
    };
  },
  saved: (result, _data, press) =>
    decision(result, press, (date) => ({
      mine: `Approved: the target of action ${result.action.value.ref} is now ${date}.`,
      theirs: `approved your new target date for action ${result.action.value.ref}: it is now ${date}.`,
    })),
};

/** The champion (or an admin) turns the proposed date down: the target stays as it is. */
export const declineDate: ActionVerb<NoData> = {
  read: () => ({}),
  refusal: decideRefusal('decline a new date for'),
  attempted: () => ({ field: PROPOSED_TARGET, to: '' }),
  apply(current) {
    const proposal = pending(current);
    const { proposedTarget: _decided, ...rest } = current;
    return {
      action: rest,
      entry: {
        field: PROPOSED_TARGET,
        from: formatDate(proposal.date),
        to: '',
        note: `Declined; proposed by ${proposal.by}: ${proposal.reason}`,
      },
    };
  },
  saved: (result, _data, press) =>
    decision(result, press, (date) => {
      const stays = result.action.value.target.text || 'as it was';
      return {
        mine: `Declined: the target of action ${result.action.value.ref} stays ${stays}.`,
        theirs: `declined your new target date (${date}) for action ${result.action.value.ref}; the target stays ${stays}. Talk to them if it still needs to move.`,
      };
    }),
};
