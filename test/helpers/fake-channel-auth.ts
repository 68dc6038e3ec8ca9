import { createServer } from 'node:http';
import {
  generateKeyPairSync,
  sign as signData,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { AddressInfo } from 'node:net';

/**
 * The channel side of Bot Framework authentication, on loopback: an OpenID configuration whose
 * `jwks_uri` lists one RSA signing key (with a `kid` and the `msteams` endorsement, as Microsoft's
 * does), and a signer for the tokens Teams would send. A second key pair that the JWKS does not
 * list signs the forged tokens.
 *
 * Tokens are signed with node:crypto rather than jose (the platform guide's recipe): jose 6 is
 * ESM-only and jest 30 on Node 20 cannot load it without transforming node_modules. The tokens
 * are the same RS256 JWTs.
 */
export const CHANNEL_ISSUER = 'https://api.botframework.com';
export const KEY_ID = 'channel-signing-key-1';

export interface TokenOptions {
  /** Claims to add or replace (`aud`, `iss`, `serviceurl`, `exp`…); `undefined` removes one. */
  readonly claims?: Record<string, unknown>;
  /** Sign with a key the JWKS does not list (keeping the listed `kid`). */
  readonly forged?: boolean;
  /** The `kid` header; the listed key's unless given. */
  readonly kid?: string;
}

export interface FakeChannelAuth {
  /** For `BotOpenIdMetadata`. */
  readonly openIdMetadataUrl: string;
  /** A bearer token for an activity to `appId`, valid for an hour unless the options say not. */
  token(appId: string, serviceUrl: string, options?: TokenOptions): string;
  close(): Promise<void>;
}

export async function startFakeChannelAuth(): Promise<FakeChannelAuth> {
  const listed = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const unlisted = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk: JsonWebKey = {
    ...listed.publicKey.export({ format: 'jwk' }),
    kid: KEY_ID,
    use: 'sig',
    alg: 'RS256',
    endorsements: ['msteams'],
  };
  let base = '';
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const body =
      path === '/keys'
        ? { keys: [jwk] }
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
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    openIdMetadataUrl: `${base}/.well-known/openidconfiguration`,
    token: (appId, serviceUrl, options = {}) => {
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
      return signJwt(
        { alg: 'RS256', typ: 'JWT', kid: options.kid ?? KEY_ID },
        claims,
        options.forged ? unlisted.privateKey : listed.privateKey,
      );
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function signJwt(header: object, claims: object, key: KeyObject): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = signData('sha256', Buffer.from(signingInput), key).toString('base64url');
  return `${signingInput}.${signature}`;
}
