import { joinList, type PersonRoles } from '../../domain/permissions.js';
import type { Action } from '../../domain/plan.js';
import { canChangeAction } from '../../domain/permissions.js';
import { canDecideFor, championsOf, isOwnerOf, nameOf, type ActionScene } from './action-scene.js';

/**
 * Who may press which button, and what someone who may not is told. The rules are the product's:
 * an action's owners, its area's KIM Champion and the plan admins change it; only owners say it
 * is not theirs; only the champion or an admin decides a new date or gives it to someone else.
 */

const NOTHING_CHANGED = 'Nothing has changed, and the attempt is noted in its history.';

function whoCan(scene: ActionScene, action: Action): string {
  const owners = action.owners.map((o) => nameOf(scene, o));
  const champions = championsOf(scene, action);
  return joinList([
    ...(owners.length > 0
      ? [`its ${owners.length === 1 ? 'owner' : 'owners'} (${joinList(owners)})`]
      : []),
    ...(champions.length > 0 ? [`the KIM Champion for ${action.area ?? 'its area'}`] : []),
    'a plan admin',
  ]);
}

/** Status, notes, new dates, snoozes: owners, the area's champion, admins. */
export function changeRefusal(
  roles: PersonRoles,
  action: Action,
  scene: ActionScene,
): string | undefined {
  if (canChangeAction(roles, action)) return undefined;
  const who = roles.email ? '' : " I can't tell who you are from Teams, so I can't check.";
  return `You can't change action ${action.ref}: only ${whoCan(scene, action)} can.${who} ${NOTHING_CHANGED}`;
}

/** "This isn't mine": owners only. */
export function ownerRefusal(roles: PersonRoles, action: Action): string | undefined {
  if (isOwnerOf(roles, action)) return undefined;
  const instead = canDecideFor(roles, action)
    ? ' You can reassign it instead (Reassign, on the card).'
    : '';
  return `Only an owner of action ${action.ref} can say it isn't theirs, and you are not one.${instead} ${NOTHING_CHANGED}`;
}

/** Approve or decline a new date, reassign: the area's champion or an admin. */
export function decideRefusal(what: string) {
  return (roles: PersonRoles, action: Action, scene: ActionScene): string | undefined => {
    if (canDecideFor(roles, action)) return undefined;
    const champions = championsOf(scene, action);
    const who =
      champions.length > 0
        ? `the KIM Champion for ${action.area ?? 'its area'} (${joinList(champions.map((c) => nameOf(scene, c)))}) or a plan admin`
        : 'a plan admin';
    return `Only ${who} can ${what} action ${action.ref}. ${NOTHING_CHANGED}`;
  };
}
