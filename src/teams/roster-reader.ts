import { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConversationReference } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from '../ports/logger.js';
import type { InstalledConversation } from '../ports/people-repository.js';
import type { RosterSyncer, RosterSyncOutcome } from '../ports/roster-syncer.js';
import { authenticationOptions } from './bot-adapter.js';
import type { AuthenticationOverrides, BotSettings } from './bot-settings.js';
import { connectorHttpClient } from './connector-http-client.js';
import type { PeopleDeps } from './people-updates.js';
import { RateLimiter } from './rate-limiter.js';
import { syncRoster } from './roster-sync.js';
import { rosterPages } from './team-members.js';

export interface RosterSyncerOptions {
  readonly settings: BotSettings;
  readonly deps: PeopleDeps;
  readonly logger: Logger;
  readonly authentication?: AuthenticationOverrides;
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
  /** Shared with the notifier when given: one pace for every request the bot makes. */
  readonly limiter?: RateLimiter;
}

/**
 * The daily re-sync of every roster the bot holds: for each team (once, whichever of its channels
 * the bot was added in) and group chat, the stored conversation is continued and its members read
 * as when the bot was added. One roster failing (Teams refuses, the team was deleted) is reported
 * and the others still synced.
 */
export function createRosterSyncer(options: RosterSyncerOptions): RosterSyncer {
  const adapter = new TeamsAdapter(
    authenticationOptions(options.settings, options.authentication ?? {}),
    options.settings.appId ? options.credentialsFactory : undefined,
    undefined,
    {
      httpClient: connectorHttpClient({
        limiter: options.limiter ?? new RateLimiter(),
        requestTimeoutMs: 30_000,
      }) as never,
    },
  );
  const botAppId = options.settings.appId ?? '';
  const deps = { ...options.deps, logger: options.logger };
  return {
    async syncAll({ signal } = {}) {
      const outcomes: RosterSyncOutcome[] = [];
      for (const [rosterId, conversation] of rostersOf(await deps.people.listConversations())) {
        if (signal?.aborted) break;
        try {
          const reference = JSON.parse(conversation.reference) as Partial<ConversationReference>;
          let added = 0;
          let removed = 0;
          await adapter.continueConversationAsync(botAppId, reference, async (context) => {
            const report = await syncRoster(
              deps,
              rosterId,
              rosterPages(context, conversation.teamId),
            );
            added = report.added;
            removed = report.removed;
          });
          outcomes.push({ rosterId, outcome: 'synced', added, removed });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          options.logger.warn({ rosterId, err: error }, 'a team roster could not be re-read');
          outcomes.push({ rosterId, outcome: 'failed', reason });
        }
      }
      return outcomes;
    },
  };
}

/** One conversation per roster: a team's channels share its roster. */
function rostersOf(conversations: readonly InstalledConversation[]) {
  const rosters = new Map<string, InstalledConversation>();
  for (const c of conversations) {
    const id = c.teamId ?? c.conversationId;
    if (!rosters.has(id)) rosters.set(id, c);
  }
  return rosters;
}
