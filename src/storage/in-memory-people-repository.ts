import { ActionPlanError } from '../domain/errors.js';
import { normaliseEmail, type Versioned } from '../domain/plan.js';
import type {
  InstalledConversation,
  PeopleRepository,
  Person,
} from '../ports/people-repository.js';

/**
 * People and installations held in this process's memory, with the same version rules as the Azure
 * adapter (a new version on every write; a stale version or a create over an existing person is a
 * 'conflict'). For tests and single-process tools only: nothing survives a restart, and two
 * instances of the bot would each know different people.
 */
export class InMemoryPeopleRepository implements PeopleRepository {
  /** email → person */
  private readonly people = new Map<string, Versioned<Person>>();
  private readonly conversations = new Map<string, InstalledConversation>();
  private lastVersion = 0;

  async getByEmail(email: string): Promise<Versioned<Person> | undefined> {
    return copy(this.people.get(normaliseEmail(email)));
  }

  async getByAadObjectId(aadObjectId: string): Promise<Versioned<Person> | undefined> {
    for (const p of this.people.values()) if (p.value.aadObjectId === aadObjectId) return copy(p);
    return undefined;
  }

  async listPeople(): Promise<Versioned<Person>[]> {
    return [...this.people.values()]
      .map((p) => copy(p)!)
      .sort((a, b) => a.value.email.localeCompare(b.value.email));
  }

  async savePerson(person: Person, expectedVersion?: string | null): Promise<void> {
    const email = normaliseEmail(person.email);
    const current = this.people.get(email);
    if (expectedVersion === null && current) {
      throw new ActionPlanError(
        'conflict',
        `${email} is already known; read them again and retry.`,
      );
    }
    if (typeof expectedVersion === 'string' && current?.version !== expectedVersion) {
      throw new ActionPlanError(
        'conflict',
        `${email} was changed by someone else; read them again and retry.`,
      );
    }
    this.people.set(email, {
      value: structuredClone({ ...person, email }),
      version: String(++this.lastVersion),
    });
  }

  async removePerson(email: string): Promise<void> {
    this.people.delete(normaliseEmail(email));
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
}

const copy = <T>(v: Versioned<T> | undefined): Versioned<T> | undefined =>
  v ? { value: structuredClone(v.value), version: v.version } : undefined;
