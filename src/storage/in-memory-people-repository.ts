import { ActionPlanError } from '../domain/errors.js';
import { normaliseEmail, type Versioned } from '../domain/plan.js';
import {
  addressesOf,
  identityOf,
  type AddressMatch,
  type InstallAttempt,
  type InstalledConversation,
  type PeopleRepository,
  type Person,
  type PersonIdentity,
  rosterEntryOf,
  type RosterEntry,
  type SavePersonOptions,
} from '../ports/people-repository.js';

/**
 * People and installations held in this process's memory, with the same version and index rules
 * as the Azure adapter (a new version on every write; a stale version or a create over an existing
 * person is a 'conflict'; each address leads to the records that claim it). For tests and
 * single-process tools only: nothing survives a restart, and two instances of the bot would each
 * know different people.
 */
export class InMemoryPeopleRepository implements PeopleRepository {
  /** identityOf(person) → person */
  private readonly people = new Map<string, Versioned<Person>>();
  /** address → identities claiming it, in the order they claimed it */
  private readonly addresses = new Map<string, string[]>();
  /** object id → identity */
  private readonly objectIds = new Map<string, string>();
  private readonly conversations = new Map<string, InstalledConversation>();
  private readonly attempts = new Map<string, InstallAttempt>();
  private lastVersion = 0;

  async findByEmail(address: string): Promise<AddressMatch> {
    const people = (this.addresses.get(normaliseEmail(address)) ?? [])
      .map((id) => this.people.get(id))
      .filter((p): p is Versioned<Person> => p !== undefined)
      .map((p) => copy(p));
    if (people.length === 0) return { kind: 'none' };
    if (people.length === 1) return { kind: 'one', person: people[0]! };
    return { kind: 'ambiguous', people };
  }

  async findManyByEmail(addresses: readonly string[]): Promise<ReadonlyMap<string, AddressMatch>> {
    const found = new Map<string, AddressMatch>();
    for (const a of addresses) found.set(normaliseEmail(a), await this.findByEmail(a));
    return found;
  }

  async getByEmail(address: string): Promise<Versioned<Person> | undefined> {
    const match = await this.findByEmail(address);
    return match.kind === 'one' ? match.person : undefined;
  }

  async getByAadObjectId(
    aadObjectId: string,
    tenantId?: string,
  ): Promise<Versioned<Person> | undefined> {
    const id = this.objectIds.get(aadObjectId.toLowerCase());
    const found = id === undefined ? undefined : this.people.get(id);
    if (!found) return undefined;
    const stored = found.value.tenantId?.toLowerCase();
    if (tenantId && stored && stored !== tenantId.toLowerCase()) return undefined;
    return copy(found);
  }

  async listPeople(): Promise<Versioned<Person>[]> {
    return [...this.people.values()]
      .map((p) => copy(p))
      .sort((a, b) => a.value.email.localeCompare(b.value.email));
  }

  async listAdmins(): Promise<Versioned<Person>[]> {
    return [...this.people.values()]
      .filter((p) => p.value.admin === true)
      .map((p) => copy(p))
      .sort((a, b) => a.value.email.localeCompare(b.value.email));
  }

  async savePerson(
    person: Person,
    expectedVersion?: string | null,
    options: SavePersonOptions = {},
  ): Promise<void> {
    const value: Person = structuredClone({
      ...person,
      email: normaliseEmail(person.email),
      ...(person.upn ? { upn: normaliseEmail(person.upn) } : {}),
    });
    const id = identityOf(value);
    const current = this.people.get(id);
    if (expectedVersion === null && current) {
      throw new ActionPlanError(
        'conflict',
        `${value.email} is already known; read them again and retry.`,
      );
    }
    if (typeof expectedVersion === 'string' && current?.version !== expectedVersion) {
      throw new ActionPlanError(
        'conflict',
        `${value.email} was changed by someone else; read them again and retry.`,
      );
    }
    const replaced = (options.replaces ?? []).map((r) => ({ id: identityOf(r.value), read: r }));
    for (const r of replaced) {
      if (r.id === id) {
        throw new ActionPlanError('invalid_input', 'A person cannot take their own place.');
      }
      if (this.people.get(r.id)?.version !== r.read.version) {
        throw new ActionPlanError(
          'conflict',
          `${r.read.value.email} was changed by someone else; read them again and retry.`,
        );
      }
    }
    if (options.exclusive) {
      const gone = new Set([id, ...replaced.map((r) => r.id)]);
      const held = addressesOf(value).find((a) =>
        (this.addresses.get(a) ?? []).some((claim) => !gone.has(claim)),
      );
      if (held) throw addressHeld(held);
    }
    // Checked everything first: what follows cannot fail halfway.
    for (const r of replaced) this.forget(r.id);
    if (current) this.unindex(id, current.value);
    this.people.set(id, { value, version: String(++this.lastVersion) });
    for (const address of addressesOf(value)) {
      const claims = this.addresses.get(address) ?? [];
      if (!claims.includes(id)) this.addresses.set(address, [...claims, id]);
    }
    if (value.aadObjectId) this.objectIds.set(value.aadObjectId.toLowerCase(), id);
  }

  async addNewPeople(people: readonly Person[]): Promise<Person[]> {
    const leftOver: Person[] = [];
    for (const person of people) {
      const id = identityOf(person);
      const oid = person.aadObjectId?.toLowerCase();
      const known =
        this.people.has(id) ||
        (oid !== undefined && this.objectIds.has(oid)) ||
        addressesOf(person).some((a) => this.addresses.has(normaliseEmail(a)));
      if (known) leftOver.push(person);
      else await this.savePerson(person, null);
    }
    return leftOver;
  }

  async listRoster(teamId: string): Promise<RosterEntry[]> {
    return [...this.people.values()].flatMap(({ value }) => {
      const entry = value.teams?.includes(teamId) ? rosterEntryOf(value, teamId) : undefined;
      return entry ? [entry] : [];
    });
  }

  async saveInstallAttempt(attempt: InstallAttempt): Promise<void> {
    const address = normaliseEmail(attempt.address);
    this.attempts.set(address, structuredClone({ ...attempt, address }));
  }

  async listInstallAttempts(): Promise<InstallAttempt[]> {
    return [...this.attempts.values()].map((a) => structuredClone(a));
  }

  async removePerson(person: PersonIdentity): Promise<void> {
    this.forget(identityOf(person));
  }

  async saveConversation(conversation: InstalledConversation): Promise<void> {
    this.conversations.set(conversation.conversationId, structuredClone(conversation));
  }

  async removeConversation(conversationId: string): Promise<void> {
    this.conversations.delete(conversationId);
  }

  async listConversations(): Promise<InstalledConversation[]> {
    return [...this.conversations.values()].map((c) => structuredClone(c));
  }

  private forget(id: string): void {
    const current = this.people.get(id);
    if (!current) return;
    this.unindex(id, current.value);
    this.people.delete(id);
  }

  private unindex(id: string, p: Person): void {
    for (const address of addressesOf(p)) {
      const left = (this.addresses.get(address) ?? []).filter((claim) => claim !== id);
      if (left.length > 0) this.addresses.set(address, left);
      else this.addresses.delete(address);
    }
    const oid = p.aadObjectId?.toLowerCase();
    if (oid && this.objectIds.get(oid) === id) this.objectIds.delete(oid);
  }
}

const addressHeld = (address: string): ActionPlanError =>
  new ActionPlanError('conflict', `${address} is claimed by another account; read it again.`);

const copy = <T>(v: Versioned<T>): Versioned<T> => ({
  value: structuredClone(v.value),
  version: v.version,
});
