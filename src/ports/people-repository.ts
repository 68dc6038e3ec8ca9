import type { Versioned } from '../domain/plan.js';

/**
 * A person the bot knows: someone who installed it (so it can message them), or whom an admin
 * named as an owner or champion. Matched to plan roles by email/UPN, lower-cased.
 */
export interface Person {
  /** Entra ID (AAD) object id: the stable identity in the tenant. Absent until they install. */
  readonly aadObjectId?: string;
  /** Email or UPN, lower-cased: how plans name owners and champions. */
  readonly email: string;
  readonly name: string;
  readonly tenantId?: string;
  /** Teams user id ("29:…"), needed to open a 1:1 chat. */
  readonly teamsUserId?: string;
  /**
   * The personal chat's conversation reference, as opaque JSON owned by the Teams adapter
   * (conversation id, serviceUrl, tenant). Absent until the person installs the bot.
   */
  readonly conversation?: string;
  /** False when Teams refuses messages to them (uninstalled, blocked, left the tenant). */
  readonly reachable: boolean;
  readonly unreachableReason?: string;
  /** Stored admin (in addition to ADMIN_EMAILS). */
  readonly admin?: boolean;
  readonly updatedAt: string;
}

/** A group chat or team channel where the bot is installed (for digests and @mention commands). */
export interface InstalledConversation {
  readonly conversationId: string;
  readonly kind: 'groupChat' | 'channel';
  readonly name?: string;
  readonly teamId?: string;
  readonly tenantId?: string;
  /** Opaque conversation reference JSON owned by the Teams adapter. */
  readonly reference: string;
  readonly installedAt: string;
}

/** People and installations; conditional writes like PlanRepository (ExpectedVersion rules). */
export interface PeopleRepository {
  getByEmail(email: string): Promise<Versioned<Person> | undefined>;
  getByAadObjectId(aadObjectId: string): Promise<Versioned<Person> | undefined>;
  listPeople(): Promise<Versioned<Person>[]>;
  /** `expectedVersion`: undefined = upsert, null = must not exist, string = must match (else conflict). */
  savePerson(person: Person, expectedVersion?: string | null): Promise<void>;
  /** Forgets a person (a forced restore clears storage first); someone not known is no error. */
  removePerson(email: string): Promise<void>;
  saveConversation(conversation: InstalledConversation): Promise<void>;
  removeConversation(conversationId: string): Promise<void>;
  listConversations(): Promise<InstalledConversation[]>;
}
