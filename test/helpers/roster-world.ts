import { DateTime } from 'luxon';
import { TENANT, type Conversation, type User } from './activities.js';

/** What the roster tests share: a team to add the bot to, its members, and the plan admin. */

/** Wednesday 22 March 2017, 09:00: 1.1 (End Mar 2017) is due its 7-working-day reminder. */
export const MORNING = DateTime.fromISO('2017-03-22T09:00', {
  zone: 'Europe/London',
}).toJSDate();

/** A team's General channel (its id is the team's): where the bot is added to the team. */
export const aTeam = (id: string, name: string): Conversation => ({
  id,
  conversationType: 'channel',
  team: { id, name },
  channel: { id },
});

/**
 * "<First> Owner", first.owner@justice.gov.uk, with object id n: a user for activities and a
 * member the fake connector's roster can list.
 */
export const anOwner = (n: number, first: string): User & { readonly tenantId: string } => ({
  id: `29:1${first.toLowerCase()}`,
  name: `${first} Owner`,
  aadObjectId: `7b2c6a1f-0000-4000-8000-${String(n).padStart(12, '0')}`,
  email: `${first.toLowerCase()}.owner@justice.gov.uk`,
  tenantId: TENANT,
});

/** The plan admin (ADMIN_EMAILS) who adds the bot to teams. */
export const ADMIN: User = {
  id: '29:1priya',
  name: 'Priya Shah',
  aadObjectId: '7b2c6a1f-0000-4000-8000-999999999999',
  email: 'priya.shah@justice.gov.uk',
};
