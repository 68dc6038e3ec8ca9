import {
  ServiceClientCredentialsFactory,
  type ServiceClientCredentials,
} from 'botframework-connector';

export interface TokenEndpointCredentialsOptions {
  readonly appId: string;
  readonly clientSecret: string;
  /** An OAuth 2.0 token endpoint that grants client-credentials tokens. */
  readonly tokenUrl: string;
}

type WebResource = Parameters<ServiceClientCredentials['signRequest']>[0];

/** Tokens are renewed this long before they expire, so none is sent about to lapse. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

/**
 * Credentials for the bot's own calls to the Bot Connector (replies, member look-ups, proactive
 * messages), taken from a plain OAuth 2.0 client-credentials endpoint.
 *
 * Why it exists: the stock factories go through MSAL, which insists on an https Entra authority,
 * so they cannot be pointed at a loopback fake. This one can, which lets the authentication tests
 * prove that every outbound call carries a bearer token. Production normally uses the
 * configuration-driven factory (password, certificate or managed identity); this one would serve
 * any other identity provider that speaks the client-credentials grant.
 */
export class TokenEndpointCredentialsFactory extends ServiceClientCredentialsFactory {
  private readonly cache = new Map<string, { token: string; renewAt: number }>();

  constructor(private readonly options: TokenEndpointCredentialsOptions) {
    super();
  }

  override async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.options.appId;
  }

  override async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  override async createCredentials(
    appId: string,
    audience: string | undefined,
  ): Promise<ServiceClientCredentials> {
    if (appId !== this.options.appId) throw new Error('Invalid appId.');
    const scope = `${(audience ?? 'https://api.botframework.com').replace(/\/$/, '')}/.default`;
    return {
      signRequest: async (resource: WebResource) => {
        resource.headers.set('authorization', `Bearer ${await this.token(scope)}`);
        return resource;
      },
    };
  }

  /** Keeps secrets out of logs that print the factory. */
  toJSON(): object {
    return { name: 'TokenEndpointCredentialsFactory', appId: this.options.appId };
  }

  private async token(scope: string): Promise<string> {
    const cached = this.cache.get(scope);
    if (cached && cached.renewAt > Date.now()) return cached.token;
    const response = await fetch(this.options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.appId,
        client_secret: this.options.clientSecret,
        scope,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new Error(
        `The token endpoint refused the bot's credentials (HTTP ${response.status}).`,
      );
    }
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new Error('The token endpoint answered without an access token.');
    }
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
    this.cache.set(scope, {
      token: body.access_token,
      renewAt: Date.now() + Math.max(0, lifetimeMs - RENEW_BEFORE_MS),
    });
    return body.access_token;
  }
}
