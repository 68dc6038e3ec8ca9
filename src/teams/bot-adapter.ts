import { TeamsAdapter } from '@microsoft/teams-ai';
import {
  ActivityTypes,
  INVOKE_RESPONSE_KEY,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type {
  AuthenticateRequestResult,
  ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { Logger } from '../ports/logger.js';
import type { AuthenticationOverrides, BotSettings } from './bot-settings.js';

/** One POST to the bot's messaging endpoint, as the HTTP server received it. */
export interface InboundRequest {
  readonly body: unknown;
  /** The `Authorization` header, if any. */
  readonly authorization?: string | undefined;
}

/** What to answer that POST with: a status and, for invokes, a JSON body. */
export interface InboundResponse {
  readonly status: number;
  readonly body?: unknown;
}

export interface BotAdapterOptions {
  readonly settings: BotSettings;
  readonly logger: Logger;
  readonly authentication?: AuthenticationOverrides;
  /** Credentials for outbound calls; by default from the settings (password, certificate, MSI). */
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
}

/**
 * teams-ai's adapter, with one entry point that authenticates before anything else and answers
 * every authentication failure with 401.
 *
 * Why not `CloudAdapter.process`: it answers a token signed by the wrong key (with a kid the
 * channel does publish) with 500, because the signature error escapes as a plain error; it also
 * writes to the console and echoes internal messages in the body. Here authentication is its own
 * step: a refused token is 401 whatever the cause, and only a failure to fetch the channel's keys
 * (our side, worth retrying) is 503.
 *
 * A 5xx means something is wrong on our side, so a malformed activity is refused with 400 before
 * botbuilder trips over it (it answers a number where a string belongs with 500), and an invoke
 * that no route answered (an unknown invoke name, or one ignored for its tenant) is answered 200
 * with no body rather than botbuilder's 501, as any other activity the bot does not act on.
 */
export class BotAdapter extends TeamsAdapter {
  private readonly log: Logger;

  constructor(options: BotAdapterOptions) {
    super(
      authenticationOptions(options.settings, options.authentication ?? {}),
      options.settings.appId ? options.credentialsFactory : undefined,
    );
    this.log = options.logger;
  }

  /** Authenticates one request and runs `logic` for its activity. */
  async handle(
    request: InboundRequest,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InboundResponse> {
    const body = request.body;
    if (!isRecord(body) || typeof body['type'] !== 'string' || body['type'] === '') {
      return { status: 400, body: { error: 'The request body is not a Bot Framework activity.' } };
    }
    const problems = shapeProblems(body);
    if (problems.length > 0) {
      this.log.info(
        { activityId: stringOrNull(body['id']), problems },
        'malformed activity refused',
      );
      return {
        status: 400,
        body: { error: 'The request body is not a well-formed Bot Framework activity.', problems },
      };
    }
    const activity = activityOf(body);
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(
        activity,
        request.authorization ?? '',
      );
    } catch (error) {
      const status = authenticationFailureStatus(error);
      this.log.warn(
        { activityId: activity.id, status, reason: error instanceof Error ? error.message : error },
        'request refused: its token was not accepted',
      );
      return { status };
    }
    const invokeResponse = await this.processActivity(authenticated, activity, async (context) => {
      await logic(context);
      if (
        context.activity.type === ActivityTypes.Invoke &&
        !context.turnState.get(INVOKE_RESPONSE_KEY)
      ) {
        this.log.info(
          { activityId: activity.id, name: stringOrNull(activity.name) },
          'invoke not answered by any route',
        );
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
      }
    });
    return {
      status: invokeResponse?.status ?? 200,
      ...(invokeResponse?.body === undefined ? {} : { body: invokeResponse.body }),
    };
  }
}

/**
 * The Bot Framework's configuration for these settings. No app id means authentication is off:
 * requests without a token are accepted and replies go out without one.
 */
export function authenticationOptions(
  settings: BotSettings,
  overrides: AuthenticationOverrides,
): ConfigurationBotFrameworkAuthenticationOptions {
  if (!settings.appId) return {};
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.appId,
    // botbuilder spells the managed identity type "UserAssignedMsi" (it compares case-insensitively).
    MicrosoftAppType: settings.appType === 'UserAssignedMSI' ? 'UserAssignedMsi' : settings.appType,
  };
  if (settings.appPassword) options.MicrosoftAppPassword = settings.appPassword;
  if (settings.tenantId) options.MicrosoftAppTenantId = settings.tenantId;
  if (settings.certificate) {
    options.CertificateThumbprint = settings.certificate.thumbprint;
    options.CertificatePrivateKey = settings.certificate.privateKey;
  }
  if (overrides.openIdMetadataUrl) options.BotOpenIdMetadata = overrides.openIdMetadataUrl;
  if (overrides.tokenIssuer) options.ToBotFromChannelTokenIssuer = overrides.tokenIssuer;
  if (overrides.oauthScope) options.ToChannelFromBotOAuthScope = overrides.oauthScope;
  if (overrides.loginUrl) options.ToChannelFromBotLoginUrl = overrides.loginUrl;
  return options;
}

/**
 * 401 for any refused token; 503 when the refusal is ours (the channel's signing keys could not
 * be fetched: botbuilder marks that with status 500, or the fetch itself failed).
 */
export function authenticationFailureStatus(error: unknown): 401 | 503 {
  const e = error as { statusCode?: unknown; name?: unknown; type?: unknown } | null;
  if (typeof e?.statusCode === 'number') return e.statusCode >= 500 ? 503 : 401;
  if (e?.name === 'FetchError' || e?.type === 'system') return 503;
  return 401;
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Fields botbuilder and the routes read as strings, when an activity has them. */
const STRING_FIELDS = [
  'id',
  'channelId',
  'locale',
  'text',
  'textFormat',
  'name',
  'replyToId',
  'action',
  'localTimezone',
  'deliveryMode',
] as const;
/** Timestamps, sent as ISO 8601 strings and turned into dates for botbuilder. */
const TIME_FIELDS = ['timestamp', 'localTimestamp', 'expiration'] as const;
/** Fields read as objects, and the string fields inside them. */
const OBJECT_FIELDS = {
  from: ['id', 'name', 'aadObjectId', 'role'],
  recipient: ['id', 'name', 'aadObjectId', 'role'],
  conversation: ['id', 'name', 'conversationType', 'tenantId', 'role'],
  channelData: [],
} as const;
/** Fields read as lists of objects. */
const LIST_FIELDS = ['entities', 'attachments', 'membersAdded', 'membersRemoved'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What is wrong with an activity's shape, as short phrases (empty when nothing is): a service URL
 * that is not an http(s) URL (botbuilder would otherwise reply to its default host), no channel
 * or no sender, recipient or conversation id (every turn is keyed by them), and fields of the
 * wrong type where botbuilder or the routes expect a string, an object, a list or a date. Teams
 * never sends any of these; `null` counts as absent.
 */
export function shapeProblems(activity: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const field of TIME_FIELDS) {
    const value = activity[field];
    if (value !== undefined && value !== null) {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        problems.push(`${field} is not a date`);
      }
    }
  }
  const serviceUrl = activity['serviceUrl'];
  let url: URL | undefined;
  try {
    url = typeof serviceUrl === 'string' ? new URL(serviceUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    problems.push('serviceUrl is not an http(s) URL');
  }
  const present = (v: unknown): boolean => v !== undefined && v !== null;
  // Every turn is keyed by these (teams-ai's turn state throws without them).
  const filled = (v: unknown): boolean => typeof v === 'string' && v !== '';
  if (!filled(activity['channelId'])) problems.push('channelId is missing');
  for (const field of ['from', 'recipient', 'conversation'] as const) {
    const value = activity[field];
    if (!isRecord(value) || !filled(value['id'])) problems.push(`${field}.id is missing`);
  }
  for (const field of STRING_FIELDS) {
    if (present(activity[field]) && typeof activity[field] !== 'string') {
      problems.push(`${field} is not a string`);
    }
  }
  for (const [field, inner] of Object.entries(OBJECT_FIELDS)) {
    const value = activity[field];
    if (!present(value)) continue;
    if (!isRecord(value)) {
      problems.push(`${field} is not an object`);
      continue;
    }
    for (const key of inner) {
      if (present(value[key]) && typeof value[key] !== 'string') {
        problems.push(`${field}.${key} is not a string`);
      }
    }
  }
  for (const field of LIST_FIELDS) {
    const value = activity[field];
    if (!present(value)) continue;
    if (!Array.isArray(value) || !value.every(isRecord)) {
      problems.push(`${field} is not a list of objects`);
    }
  }
  return problems;
}

/** The activity in a well-formed body, its timestamps made dates (as botbuilder expects). */
function activityOf(body: Record<string, unknown>): Activity {
  const activity = body as Activity & Record<string, unknown>;
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity;
}
