import { TeamsAdapter } from '@microsoft/teams-ai';
import {
  CardFactory,
  type Activity,
  type ConversationParameters,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from '../ports/logger.js';
import type {
  ProactiveDelivery,
  ProactiveMessage,
  ProactiveNotifier,
  ProactiveRecipient,
} from '../ports/proactive-notifier.js';
import { authenticationOptions } from './bot-adapter.js';
import type { AuthenticationOverrides, BotSettings } from './bot-settings.js';
import { connectorHttpClient, sendTraces, type SendTrace } from './connector-http-client.js';
import { referenceJsonOf } from './incoming.js';
import { RateLimiter } from './rate-limiter.js';

/** Teams' public Bot Connector endpoint, for opening a 1:1 chat nobody has stored yet. */
export const DEFAULT_TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

export interface ProactiveNotifierOptions {
  readonly settings: BotSettings;
  readonly logger: Logger;
  /**
   * Where to open a new 1:1 chat (a person with a Teams id but no stored conversation) when no
   * team that lists them gives its own service (`ProactiveRecipient.via`).
   */
  readonly serviceUrl?: string;
  readonly limiter?: RateLimiter;
  /** Per request (the SDK may retry a request a few times within one send). Default 15 s. */
  readonly requestTimeoutMs?: number;
  readonly authentication?: AuthenticationOverrides;
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
}

/**
 * The proactive notifier on the Bot Framework: `continueConversationAsync` on the person's stored
 * personal chat, or `createConversationAsync` to open one when only their Teams id is known.
 *
 * Its own adapter (not the one answering requests) with the connector HTTP client of
 * connector-http-client.ts underneath, so every request is rate limited and counted. The SDK
 * retries 429 (after Retry-After) and 5xx (exponential backoff with jitter) up to three times
 * within one send; what still fails comes back as an outcome the scheduler acts on:
 * - 429, 412, 408, 5xx, timeouts, network errors: `retry` (with Retry-After when Teams gave one);
 * - 403 (blocked, uninstalled, disabled by an admin, writes blocked) and 404 (conversation gone):
 *   `unreachable` — retrying will not help;
 * - anything else (400, 401, 413…): `failed`.
 */
export function createProactiveNotifier(options: ProactiveNotifierOptions): ProactiveNotifier {
  const limiter = options.limiter ?? new RateLimiter();
  const adapter = new TeamsAdapter(
    authenticationOptions(options.settings, options.authentication ?? {}),
    options.settings.appId ? options.credentialsFactory : undefined,
    undefined,
    {
      httpClient: connectorHttpClient({
        limiter,
        requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
      }) as never,
    },
  );
  const botAppId = options.settings.appId ?? '';
  const serviceUrl = options.serviceUrl ?? DEFAULT_TEAMS_SERVICE_URL;

  return {
    async send(to: ProactiveRecipient, message: ProactiveMessage): Promise<ProactiveDelivery> {
      const activity: Partial<Activity> = {
        type: 'message',
        summary: message.summary,
        attachments: [CardFactory.adaptiveCard(message.card)],
      };
      const stored = to.conversation ? parseReference(to.conversation) : undefined;
      const tenant = (stored?.conversation?.tenantId ?? to.tenantId ?? 'unknown').toLowerCase();
      const trace: SendTrace = {
        tenant,
        conversation: stored?.conversation?.id ?? `new:${to.teamsUserId ?? to.email}`,
        attempts: 0,
        throttled: 0,
      };
      try {
        return await sendTraces.run(trace, async () => {
          if (stored?.conversation?.id) {
            let activityId = '';
            await adapter.continueConversationAsync(botAppId, stored, async (context) => {
              activityId = (await postNew(context, activity))?.id ?? '';
            });
            return sent(trace, activityId, to.conversation!, false);
          }
          if (!to.teamsUserId) {
            return {
              outcome: 'unreachable' as const,
              code: 'NoConversation',
              status: 404,
              attempts: 0,
              throttled: 0,
            };
          }
          const parameters: ConversationParameters = {
            isGroup: false,
            bot: { id: botAppId ? `28:${botAppId}` : '28:action-plan-bot', name: 'Action Plan' },
            members: [{ id: to.teamsUserId, name: to.email }],
            activity: undefined as unknown as Activity,
            channelData: { tenant: { id: to.tenantId } },
            ...(to.tenantId ? { tenantId: to.tenantId } : {}),
          };
          let activityId = '';
          let reference = '';
          await adapter.createConversationAsync(
            botAppId,
            'msteams',
            (to.via ? parseReference(to.via)?.serviceUrl : undefined) ?? serviceUrl,
            undefined as unknown as string, // the default audience (the channel's)
            parameters,
            async (context) => {
              reference = referenceJsonOf({
                ...context.activity,
                ...(to.teamsUserId ? { from: { id: to.teamsUserId, name: to.email } } : {}),
              });
              activityId = (await postNew(context, activity))?.id ?? '';
            },
          );
          return sent(trace, activityId, reference, true);
        });
      } catch (error) {
        const outcome = classify(error, trace);
        options.logger.info(
          // Named by Teams id, never by email (logs are read more widely than the plan).
          {
            outcome: outcome.outcome,
            code: outcome.code,
            attempts: trace.attempts,
            to: to.teamsUserId ?? null,
          },
          'a proactive message was not delivered',
        );
        return outcome;
      }
    },
  };
}

/**
 * Sends `activity` as a new message in the conversation. botbuilder would make it a reply to the
 * made-up id of the continuation activity (`POST …/activities/{id}`); a reminder is not a reply to
 * anything, so the reply id is dropped and it goes to `POST …/activities`.
 */
function postNew(context: TurnContext, activity: Partial<Activity>) {
  context.onSendActivities(async (_context, activities, next) => {
    for (const a of activities) delete a.replyToId;
    return next();
  });
  return context.sendActivity(activity);
}

function sent(
  trace: SendTrace,
  activityId: string,
  conversation: string,
  createdConversation: boolean,
): ProactiveDelivery {
  return {
    outcome: 'sent',
    activityId,
    conversation,
    createdConversation,
    attempts: trace.attempts,
    throttled: trace.throttled,
  };
}

const RETRY_STATUSES = new Set([408, 412, 429, 500, 502, 503, 504]);

/** Turns what the SDK threw into an outcome; see createProactiveNotifier. */
export function classify(
  error: unknown,
  trace: Pick<SendTrace, 'attempts' | 'throttled' | 'retryAfterMs' | 'lastStatus'>,
): Exclude<ProactiveDelivery, { outcome: 'sent' }> {
  const counts = { attempts: trace.attempts, throttled: trace.throttled };
  const e = error as { statusCode?: unknown; code?: unknown; name?: unknown; message?: unknown };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e?.code === 'string' && e.code !== '' ? e.code : undefined;
  if (status === undefined) {
    const timedOut = e?.name === 'TimeoutError' || e?.name === 'AbortError';
    return { outcome: 'retry', code: timedOut ? 'Timeout' : (code ?? 'NetworkError'), ...counts };
  }
  if (RETRY_STATUSES.has(status)) {
    return {
      outcome: 'retry',
      code: code ?? (status === 429 ? 'Throttled' : `HTTP${status}`),
      status,
      ...(status === 429 && trace.retryAfterMs !== undefined
        ? { retryAfterMs: trace.retryAfterMs }
        : {}),
      ...counts,
    };
  }
  if (status === 403 || status === 404) {
    return {
      outcome: 'unreachable',
      code: code ?? (status === 403 ? 'Forbidden' : 'ConversationNotFound'),
      status,
      ...counts,
    };
  }
  return {
    outcome: 'failed',
    code: code ?? `HTTP${status}`,
    status,
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...counts,
  };
}

function parseReference(json: string): Partial<ConversationReference> | undefined {
  try {
    const reference = JSON.parse(json) as Partial<ConversationReference>;
    return reference && typeof reference === 'object' ? reference : undefined;
  } catch {
    return undefined;
  }
}
