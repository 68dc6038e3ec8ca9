/**
 * What the Teams edge needs to know about the bot's Entra ID registration, as config.ts reads it
 * from the environment. Kept as plain data so that the rest of the app never sees a Bot
 * Framework type.
 */
export interface BotSettings {
  /** The bot's Entra app id. Absent: no token checks at all (local runs, Agents Playground). */
  readonly appId?: string;
  /** Client secret (MultiTenant or SingleTenant with a password). */
  readonly appPassword?: string;
  readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** The app's home tenant: needed by SingleTenant and UserAssignedMSI. */
  readonly tenantId?: string;
  /** A certificate instead of a password (PEM private key and its SHA-1 thumbprint). */
  readonly certificate?: { readonly thumbprint: string; readonly privateKey: string };
  /** Tenants whose activities are answered, lower-case; an empty list answers none. */
  readonly allowedTenantIds: readonly string[];
  /** Every tenant is answered, whatever the list says (config.ts decides when). */
  readonly anyTenant: boolean;
}

/**
 * Where to find what the Bot Framework trusts, when it is not Microsoft's public cloud: a
 * loopback OpenID document and token issuer in the authentication tests, or a sovereign cloud.
 * Each value replaces the Bot Framework default of the same name.
 */
export interface AuthenticationOverrides {
  /** `BotOpenIdMetadata`: the OpenID configuration whose `jwks_uri` lists the channel's keys. */
  readonly openIdMetadataUrl?: string;
  /** `ToBotFromChannelTokenIssuer`: the `iss` of tokens the channel sends. */
  readonly tokenIssuer?: string;
  /** `ToChannelFromBotOAuthScope`: the audience of tokens the bot sends. */
  readonly oauthScope?: string;
  /** `ToChannelFromBotLoginUrl`: where the bot gets those tokens. */
  readonly loginUrl?: string;
}
