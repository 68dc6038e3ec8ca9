import { createServer } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback-http.js';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWK, type KeyLike } from 'jose';

/**
 * The channel side of Bot Framework authentication, on loopback: an OpenID configuration whose
 * `jwks_uri` lists the channel's RSA signing keys (each with a `kid` and its `endorsements`, the
 * channels it may sign for, as Microsoft's do), and a signer for the tokens Teams would send,
 * using `jose`.
 *
 * Keys: the Teams key (endorsed for msteams), a key listed but endorsed only for webchat, and a
 * key the JWKS does not list at all, which signs forged tokens under the Teams key's `kid`.
 */
export const CHANNEL_ISSUER = 'https://api.botframework.com';
export const KEY_ID = 'channel-signing-key-1';
/** A key the channel publishes, endorsed for Web Chat only. */
export const WEBCHAT_KEY_ID = 'channel-signing-key-webchat';

export interface TokenOptions {
  /** Claims to add or replace (`aud`, `iss`, `serviceurl`, `exp`…); `undefined` removes one. */
  readonly claims?: Record<string, unknown>;
  /** Sign with a key the JWKS does not list (keeping the listed `kid`). */
  readonly forged?: boolean;
  /** Sign with the listed key endorsed only for webchat (under its own `kid`). */
  readonly webchatKey?: boolean;
  /** The `kid` header; the signing key's unless given. */
  readonly kid?: string;
  /** No signature at all (`alg: none`), with the `kid` header if given. */
  readonly unsigned?: boolean;
}

export interface FakeChannelAuth {
  /** For `BotOpenIdMetadata`. */
  readonly openIdMetadataUrl: string;
  /** A bearer token for an activity to `appId`, valid for an hour unless the options say not. */
  token(appId: string, serviceUrl: string, options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

interface KeyPair {
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
}

const rsaKey = (): Promise<KeyPair> => generateKeyPair('RS256', { modulusLength: 2048 });

/** A JWK as the channel publishes it: Bot Framework adds the channels the key may sign for. */
type ChannelJwk = JWK & { readonly endorsements: readonly string[] };

async function publishedKey(
  pair: KeyPair,
  kid: string,
  endorsements: string[],
): Promise<ChannelJwk> {
  return { ...(await exportJWK(pair.publicKey)), kid, use: 'sig', alg: 'RS256', endorsements };
}

export async function startFakeChannelAuth(): Promise<FakeChannelAuth> {
  const [teams, webchat, unlisted] = await Promise.all([rsaKey(), rsaKey(), rsaKey()]);
  const keys = [
    await publishedKey(teams, KEY_ID, ['msteams']),
    await publishedKey(webchat, WEBCHAT_KEY_ID, ['webchat']),
  ];
  let base = '';
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const body =
      path === '/keys'
        ? { keys }
        : path === '/.well-known/openidconfiguration'
          ? {
              issuer: CHANNEL_ISSUER,
              authorization_endpoint: `${base}/authorize`,
              jwks_uri: `${base}/keys`,
              id_token_signing_alg_values_supported: ['RS256'],
              token_endpoint_auth_methods_supported: ['private_key_jwt'],
            }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  base = (await listenOnLoopback(server)).replace(/\/$/, '');

  return {
    openIdMetadataUrl: `${base}/.well-known/openidconfiguration`,
    token: async (appId, serviceUrl, options = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const claims = Object.fromEntries(
        Object.entries({
          iss: CHANNEL_ISSUER,
          aud: appId,
          serviceurl: serviceUrl,
          nbf: now - 60,
          iat: now - 60,
          exp: now + 3600,
          ...options.claims,
        }).filter(([, v]) => v !== undefined),
      );
      if (options.unsigned) return unsigned(claims, options.kid);
      const kid = options.kid ?? (options.webchatKey ? WEBCHAT_KEY_ID : KEY_ID);
      const key = options.forged ? unlisted : options.webchatKey ? webchat : teams;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .sign(key.privateKey);
    },
    close: () => closeServer(server),
  };
}

/**
 * An unsecured JWT (`alg: none`, an empty signature), as jose writes one. jose's header for it is
 * only `{"alg":"none"}`; with `kid` the header also names a key, as an attacker would to look
 * like a channel token.
 */
function unsigned(claims: Record<string, unknown>, kid: string | undefined): string {
  const token = new UnsecuredJWT(claims).encode();
  if (kid === undefined) return token;
  const [, payload, signature] = token.split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString(
    'base64url',
  );
  return `${header}.${payload}.${signature}`;
}
