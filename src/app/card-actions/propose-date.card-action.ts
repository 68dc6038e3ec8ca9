import { formatDate } from '../../domain/calendar.js';
import { ActionPlanError } from '../../domain/errors.js';
import { joinList } from '../../domain/permissions.js';
import { isDone, statusLabel } from '../../domain/status.js';
import { canDecideFor, nameOf, rolesIn } from './action-scene.js';
import { needsDateApproval } from './date-approval.js';
import { audienceFor, type ActionVerb, type Audience, type Outcome } from './card-verb.js';
import { optionalDate, requireDateBetween, requiredText } from './press-data.js';
import { changeRefusal } from './refusals.js';

export interface ProposeDateData {
  /** YYYY-MM-DD, today or later. */
  readonly date: string;
  readonly reason: string;
}

/** The history field of a proposal waiting for approval (the target itself is "target"). */
export const PROPOSED_TARGET = 'proposed target';

/**
 * "Propose a new date", with the reason. By default whoever may change the action moves its
 * target at once and the area's KIM Champion is told (product default: owners own their dates,
 * champions hear about it). On a plan with `settings.newDatesNeedApproval`, an owner's date waits
 * on the action for the champion (or, in an area without one, an admin) to approve or decline;
 * a champion's or admin's own proposal needs nobody's approval.
 */
export const proposeDate: ActionVerb<ProposeDateData> = {
  read(fields, scene) {
    const date = optionalDate(fields, 'date', 'new target date');
    const reason = requiredText(
      fields,
      'reason',
      'reason',
      'Say why the date needs to move: your KIM Champion sees it with the new date. Nothing has changed.',
    );
    if (!date) {
      throw new ActionPlanError(
        'invalid_input',
        'Choose the new target date with the date picker, then press Propose date. Nothing has changed.',
      );
    }
    return { date: requireDateBetween(date, scene.today, 'new target date'), reason };
  },
  refusal: changeRefusal,
  attempted: (data) => ({ field: 'target', ...(data ? { to: formatDate(data.date) } : {}) }),
  apply(current, data, { deps, scene, by, email }) {
    if (isDone(current.status)) {
      throw new ActionPlanError(
        'invalid_input',
        `Action ${current.ref} is ${statusLabel(current.status)} now, so its target date no longer matters. Nothing has changed.`,
      );
    }
    const needsApproval =
      needsDateApproval(scene.plan) && !canDecideFor(rolesIn(deps, scene, email, current), current);
    const to = formatDate(data.date);
    if (needsApproval) {
      const { proposedTarget: earlier, ...rest } = current;
      return {
        action: {
          ...rest,
          proposedTarget: {
            date: data.date,
            reason: data.reason,
            by,
            at: deps.clock.now().toISOString(),
          },
        },
        entry: {
          field: PROPOSED_TARGET,
          from: earlier ? formatDate(earlier.date) : '',
          to,
          note: data.reason,
        },
      };
    }
    // Moved at once; a proposal still waiting is overtaken by it.
    const { proposedTarget: _overtaken, ...rest } = current;
    return {
      action: { ...rest, target: { kind: 'date', text: to, date: data.date } },
      entry: { field: 'target', from: current.target.text, to, note: data.reason },
    };
  },
  saved(result, data, { deps, scene, by, byName }): Outcome {
    const action = result.action.value;
    const ref = action.ref;
    const to = formatDate(data.date);
    const from = result.before.target.text || 'none';
    if (result.entry.field === PROPOSED_TARGET) {
      const audience = audienceFor(deps, scene, action, by, true);
      return {
        banner: {
          tone: 'good',
          text: `Proposed ${to} for action ${ref}. ${asked(scene, audience)} The target stays ${from} until then.`,
        },
        notices: [
          {
            to: audience.reachable,
            kind: 'date-approval',
            banner: {
              tone: 'warning',
              text: `${byName} proposes moving the target of action ${ref} from ${from} to ${to}: “${data.reason}”. Approve or decline it below.`,
            },
          },
        ],
      };
    }
    const audience = audienceFor(deps, scene, action, by, false);
    return {
      banner: {
        tone: 'good',
        text: `Target of action ${ref} moved to ${to}. ${told(scene, audience)}`,
      },
      notices: [
        {
          to: audience.reachable,
          kind: 'date-moved',
          banner: {
            tone: 'info',
            text: `${byName} moved the target of action ${ref} from ${from} to ${to}: “${data.reason}”.`,
          },
        },
      ],
    };
  },
};

const names = (scene: Parameters<typeof nameOf>[0], emails: readonly string[]): string =>
  joinList(emails.map((e) => nameOf(scene, e)));

function told(scene: Parameters<typeof nameOf>[0], a: Audience): string {
  const reached = a.reachable.map((p) => p.email);
  if (reached.length === 0 && a.unreachable.length === 0) return '';
  return [
    ...(reached.length > 0 ? [`I've told ${names(scene, reached)} (${a.role}).`] : []),
    ...(a.unreachable.length > 0
      ? [`I can't tell ${names(scene, a.unreachable)} yet: they haven't installed the bot.`]
      : []),
  ].join(' ');
}

function asked(scene: Parameters<typeof nameOf>[0], a: Audience): string {
  const reached = a.reachable.map((p) => p.email);
  if (reached.length > 0) return `I've asked ${names(scene, reached)} (${a.role}) to approve it.`;
  return "I can't reach anyone who can approve it yet, so it waits on the action until its KIM Champion or a plan admin opens it.";
}

export { told as toldSentence, asked as askedSentence };
