import type { InstalledConversation, Person } from '../../ports/people-repository.js';
import type { ReminderDeps } from './reminder-deps.js';

/**
 * The stored team or group chat through which a person with no chat of their own is reached:
 * its conversation reference (opaque to this layer) tells the notifier which Teams service to
 * open their 1:1 chat on — the one Teams gave that team, which is regional (a UK tenant's is not
 * the global default), and in the Agents Playground its own mock connector. Undefined when the
 * person has a chat, or no stored conversation lists them (TEAMS_SERVICE_URL is used then).
 */
export async function teamRouteOf(
  deps: Pick<ReminderDeps, 'people'>,
  person: Person,
  memo: { conversations?: Promise<InstalledConversation[]> },
): Promise<string | undefined> {
  if (person.conversation !== undefined || !person.teams || person.teams.length === 0) {
    return undefined;
  }
  // Read once per batch: a deployment has a handful of teams, a batch many people.
  memo.conversations ??= deps.people.listConversations();
  const conversations = await memo.conversations;
  const teams = new Set(person.teams);
  return conversations.find((c) => teams.has(c.teamId ?? c.conversationId))?.reference;
}
