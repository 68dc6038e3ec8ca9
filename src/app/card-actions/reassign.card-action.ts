import { ActionPlanError } from '../../domain/errors.js';
import { joinList } from '../../domain/permissions.js';
import { isEmail, normaliseEmail } from '../../domain/plan.js';
import { nameOf, personView } from './action-scene.js';
import type { ActionVerb } from './card-verb.js';
import { requiredText } from './press-data.js';
import { decideRefusal } from './refusals.js';

export interface ReassignData {
  readonly owners: readonly string[];
}

/** More owners than this on one action is a typing slip, not a plan. */
const MAX_OWNERS = 10;

/**
 * The champion's (or an admin's) "Reassign": the action gets new owners, who start getting its
 * reminders; a snooze the old owner asked for goes (it was theirs), a proposed date stays for the
 * champion to decide. The new owners get the action's card when the bot can reach them.
 */
export const reassign: ActionVerb<ReassignData> = {
  read(fields) {
    const text = requiredText(
      fields,
      'newOwners',
      "new owner's email address",
      "Give the new owner's email address, then press Reassign. Nothing has changed.",
    );
    const given = text.split(/[\s,;]+/).filter((t) => t !== '');
    const bad = given.filter((g) => !isEmail(g));
    if (bad.length > 0) {
      throw new ActionPlanError(
        'invalid_input',
        `Owners are given by email address; “${bad[0]!.slice(0, 80)}” is not one. Nothing has changed.`,
      );
    }
    const owners = [...new Set(given.map(normaliseEmail))];
    if (owners.length > MAX_OWNERS) {
      throw new ActionPlanError(
        'invalid_input',
        `An action can have at most ${MAX_OWNERS} owners; you gave ${owners.length}. Nothing has changed.`,
      );
    }
    return { owners };
  },
  refusal: decideRefusal('reassign'),
  names: (data) => data.owners,
  attempted: () => ({ field: 'owners' }),
  apply(current, data) {
    const { snooze: _theirs, ...rest } = current;
    return {
      action: { ...rest, owners: data.owners },
      entry: { field: 'owners', from: current.owners.join(', '), to: data.owners.join(', ') },
    };
  },
  saved(result, data, { scene, by, byName }) {
    const ref = result.action.value.ref;
    const unreachable = data.owners.filter((o) => !personView(scene, o).reachable);
    const newcomers = data.owners
      .filter(
        (o) => o !== normaliseEmail(by) && !result.before.owners.map(normaliseEmail).includes(o),
      )
      .map((o) => scene.people.get(o))
      .filter((p) => p !== undefined && p.reachable && p.conversation !== undefined);
    return {
      banner: {
        tone: 'good',
        text: `Action ${ref} is now owned by ${joinList(data.owners.map((o) => nameOf(scene, o)))}.${
          unreachable.length > 0
            ? ` ${joinList(unreachable.map((o) => nameOf(scene, o)))} ${unreachable.length === 1 ? "hasn't" : "haven't"} installed the bot yet, so I can't remind them until they do.`
            : ''
        }`,
      },
      notices: [
        {
          to: newcomers.filter((p) => p !== undefined),
          kind: 'assigned',
          banner: { tone: 'info', text: `${byName} gave you action ${ref}.` },
        },
      ],
    };
  },
};
