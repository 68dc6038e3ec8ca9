import { isActionPlanError } from '../domain/errors.js';
import { normaliseEmail, type Versioned } from '../domain/plan.js';
import type { Clock } from '../ports/clock.js';
import type { PeopleRepository, Person } from '../ports/people-repository.js';

/**
 * What the Teams edge writes about people: who installed the bot and how to reach them, and who
 * can no longer be reached. No Bot Framework type appears here (the conversation reference is
 * already JSON), so these could move to src/app unchanged if another door ever needs them.
 */

export interface PeopleDeps {
  readonly people: PeopleRepository;
  readonly clock: Clock;
}

/** Someone as Teams describes them (TeamsInfo.getMember, or the activity's sender). */
export interface TeamsMember {
  readonly aadObjectId?: string;
  /** Email, or the UPN when Teams gives no email; lower-cased here. */
  readonly email: string;
  readonly name: string;
  readonly tenantId?: string;
  /** The "29:…" id. */
  readonly teamsUserId?: string;
}

/** Someone else writing the same person at the same moment is rare; three tries is plenty. */
const ATTEMPTS = 3;

/**
 * Records that `member` installed the bot (or wrote to it) in their personal chat: their details
 * as Teams gives them now, the chat's conversation reference, and reachable again. What an admin
 * stored (the admin flag) is kept. Conditional on the version read, re-read on a conflict.
 */
export async function rememberPersonalChat(
  deps: PeopleDeps,
  member: TeamsMember,
  conversationReference: string,
): Promise<Person> {
  const email = normaliseEmail(member.email);
  return updatePerson(deps, email, member.aadObjectId, (current) => {
    const { unreachableReason: _cleared, ...kept } = current ?? {};
    return {
      ...kept,
      ...definedOnly({
        aadObjectId: member.aadObjectId,
        tenantId: member.tenantId,
        teamsUserId: member.teamsUserId,
      }),
      email,
      name: member.name || current?.name || email,
      conversation: conversationReference,
      reachable: true,
      updatedAt: deps.clock.now().toISOString(),
    };
  });
}

/**
 * Marks the person with this Entra object id as unreachable, saying why (they removed the app,
 * Teams refused a message). Resolves to false when the bot never knew them.
 */
export async function markUnreachable(
  deps: PeopleDeps,
  aadObjectId: string,
  reason: string,
): Promise<boolean> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.people.getByAadObjectId(aadObjectId);
    if (!current) return false;
    try {
      await deps.people.savePerson(
        {
          ...current.value,
          reachable: false,
          unreachableReason: reason,
          updatedAt: deps.clock.now().toISOString(),
        },
        current.version,
      );
      return true;
    } catch (error) {
      if (!isActionPlanError(error, 'conflict') || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** Read, change, write conditionally; on a conflict read again and re-apply the change. */
async function updatePerson(
  deps: PeopleDeps,
  email: string,
  aadObjectId: string | undefined,
  change: (current: Person | undefined) => Person,
): Promise<Person> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await find(deps.people, email, aadObjectId);
    const next = change(current?.value);
    try {
      // The record is keyed by email: a person found only by their object id under an older
      // email is written afresh under the new one.
      const sameRecord = current !== undefined && current.value.email === email;
      await deps.people.savePerson(next, sameRecord ? current.version : null);
      return next;
    } catch (error) {
      if (!isActionPlanError(error, 'conflict') || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function find(
  people: PeopleRepository,
  email: string,
  aadObjectId: string | undefined,
): Promise<Versioned<Person> | undefined> {
  return (
    (await people.getByEmail(email)) ??
    (aadObjectId ? await people.getByAadObjectId(aadObjectId) : undefined)
  );
}

const definedOnly = <T extends Record<string, string | undefined>>(
  values: T,
): Partial<Record<keyof T, string>> =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<
    Record<keyof T, string>
  >;
