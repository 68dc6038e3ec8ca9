import { TeamsAdapter } from '@microsoft/teams-ai';
import type {
  Activity,
  ConfigurationBotFrameworkAuthenticationOptions,
  TurnContext,
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
    const activity = activityOf(request.body);
    if (!activity) {
      return { status: 400, body: { error: 'The request body is not a Bot Framework activity.' } };
    }
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
    const invokeResponse = await this.processActivity(authenticated, activity, logic);
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

/** The activity in a request body, with its timestamps as dates (as botbuilder expects). */
function activityOf(body: unknown): Activity | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const activity = body as Activity & Record<string, unknown>;
  if (typeof activity.type !== 'string' || activity.type === '') return undefined;
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
