import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TableClient } from '@azure/data-tables';
import { startEmbeddedAzurite, type EmbeddedAzurite } from '../../../src/storage/embedded-azurite';
import { freshTableName } from '../../helpers/azurite';
import { MOJ_PLAN_PATH } from '../../helpers/fixtures';
import { selfSignedCert } from '../../helpers/self-signed-cert';

/**
 * Storage reached the way it is in Azure: AZURE_STORAGE_ACCOUNT_URL, no key anywhere, and a
 * token from DefaultAzureCredential for the user-assigned managed identity named by
 * AZURE_CLIENT_ID. The app runs as it does on App Service (the built `serve.js` and `actionplan`,
 * as child processes), and its managed identity comes from a loopback stand-in for App Service's
 * identity endpoint (IDENTITY_ENDPOINT and IDENTITY_HEADER, which App Service sets). Storage is
 * Azurite over https with OAuth on: it checks each token's audience, issuer and lifetime (not its
 * signature), and refuses a request whose token fails them, so a wrong token fails these tests.
 */

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const SERVE = join(ROOT, 'dist', 'src', 'serve.js');
const CLIENT_ID = '6d1f0b2a-3c4e-4f5a-8b9c-0d1e2f3a4b5c';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const IDENTITY_HEADER = 'identity-header-for-this-test';

type TokenKind = 'storage' | 'expired' | 'another-audience' | 'refused';

/** App Service's managed identity endpoint, as the Azure SDK calls it (api-version 2019-08-01). */
class FakeIdentityEndpoint {
  readonly calls: { url: URL; header: string | undefined }[] = [];
  tokenKind: TokenKind = 'storage';
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.answer(req, res));
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/msi/token`;
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }

  private answer(req: IncomingMessage, res: import('node:http').ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const header = req.headers['x-identity-header'];
    this.calls.push({ url, header: typeof header === 'string' ? header : undefined });
    if (header !== IDENTITY_HEADER || this.tokenKind === 'refused') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: 'refused' }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const expired = this.tokenKind === 'expired';
    const claims = {
      aud:
        this.tokenKind === 'another-audience'
          ? 'https://management.azure.com'
          : (url.searchParams.get('resource') ?? ''),
      iss: `https://sts.windows.net/${TENANT_ID}/`,
      iat: expired ? now - 7200 : now - 60,
      nbf: expired ? now - 7200 : now - 60,
      exp: expired ? now - 3600 : now + 3600,
      appid: url.searchParams.get('client_id'),
      tid: TENANT_ID,
    };
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`,
        // What the endpoint says, so the SDK uses even the expired token (Azurite must refuse it).
        expires_on: String(now + 3600),
        resource: url.searchParams.get('resource'),
        token_type: 'Bearer',
        client_id: url.searchParams.get('client_id'),
      }),
    );
  }
}

let dir: string;
let certPath: string;
let ca: string;
let azurite: EmbeddedAzurite;
const identity = new FakeIdentityEndpoint();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'actionplan-credential-'));
  const cert = selfSignedCert();
  ca = cert.cert;
  certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  await writeFile(certPath, cert.cert);
  await writeFile(keyPath, cert.key);
  azurite = await startEmbeddedAzurite({ inMemory: true, https: { certPath, keyPath } });
  await identity.start();
});

afterAll(async () => {
  await identity.stop();
  await azurite?.stop();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  identity.tokenKind = 'storage';
  identity.calls.length = 0;
});

/** The environment App Service gives the app, pointed at this test's Azurite and identity. */
function azureLikeEnv(tableName: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    // Trust the test certificate, as a machine trusts Azure's.
    NODE_EXTRA_CA_CERTS: certPath,
    AZURE_STORAGE_ACCOUNT_URL: azurite.tableEndpoint,
    AZURE_STORAGE_QUEUE_URL: azurite.queueEndpoint,
    AZURE_CLIENT_ID: CLIENT_ID,
    IDENTITY_ENDPOINT: identity.url,
    IDENTITY_HEADER,
    ACTIONPLAN_TABLE: tableName,
    LOG_LEVEL: 'warn',
  };
}

const runCli = async (args: string[], env: Record<string, string>) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

/** The same table read with the development account's key: where the app's writes really went. */
async function entitiesIn(tableName: string): Promise<number> {
  const client = TableClient.fromConnectionString(azurite.connectionString, tableName, {
    tlsOptions: { ca },
  });
  let count = 0;
  for await (const _ of client.listEntities()) count++;
  return count;
}

describe('storage with a managed identity token (AZURE_STORAGE_ACCOUNT_URL)', () => {
  it('imports and lists a plan with no connection string, signing in as AZURE_CLIENT_ID', async () => {
    const tableName = freshTableName('token');
    const env = azureLikeEnv(tableName);
    expect(Object.keys(env).join()).not.toContain('CONNECTION_STRING');

    const imported = await runCli(['import', MOJ_PLAN_PATH], env);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('42 new');

    const plans = await runCli(['plans', '--json'], env);
    expect(plans.code).toBe(0);
    expect(JSON.parse(plans.stdout)).toEqual([expect.objectContaining({ actionCount: 42 })]);

    // The token was asked for the right identity, for storage, with App Service's header.
    expect(identity.calls.length).toBeGreaterThan(0);
    for (const call of identity.calls) {
      expect(call.header).toBe(IDENTITY_HEADER);
      expect(call.url.searchParams.get('client_id')).toBe(CLIENT_ID);
      expect(call.url.searchParams.get('resource')).toBe('https://storage.azure.com');
    }
    // And the plan is in that account: 42 actions, their history and the plan record.
    expect(await entitiesIn(tableName)).toBeGreaterThan(42);
  });

  it('serves the bot, healthy, on a token alone', async () => {
    const server = await startServe(azureLikeEnv(freshTableName('serve')));
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(identity.calls.some((c) => c.url.searchParams.get('client_id') === CLIENT_ID)).toBe(
      true,
    );
  });

  it('reaches the account’s queues with the same identity (for the reminders)', async () => {
    const queueName = `q${freshTableName('').toLowerCase()}`;
    const script = `
      const { openStorage, queueClientFor } = require(${JSON.stringify(join(ROOT, 'dist', 'src', 'storage', 'open-storage.js'))});
      (async () => {
        const storage = await openStorage({ account: {
          tableUrl: process.env.AZURE_STORAGE_ACCOUNT_URL,
          queueUrl: process.env.AZURE_STORAGE_QUEUE_URL,
          managedIdentityClientId: process.env.AZURE_CLIENT_ID,
        }, clock: { now: () => new Date() } });
        const queue = queueClientFor(storage.access, ${JSON.stringify(queueName)});
        await queue.createIfNotExists();
        await queue.sendMessage('remind 4.9a');
        const { receivedMessageItems } = await queue.receiveMessages();
        let connectionString;
        try { connectionString = storage.connectionString; } catch (e) { connectionString = e.message; }
        process.stdout.write(JSON.stringify({
          kind: storage.access.kind,
          received: receivedMessageItems.map((m) => m.messageText),
          connectionString,
        }));
      })().catch((e) => { process.stderr.write(String(e.stack)); process.exitCode = 1; });
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      env: azureLikeEnv('unused'),
    });
    expect(JSON.parse(stdout)).toEqual({
      kind: 'token',
      received: ['remind 4.9a'],
      connectionString: expect.stringContaining('reached with a token'),
    });
  });

  it.each([
    ['an expired token', 'expired' as const],
    ['a token for another audience', 'another-audience' as const],
  ])('is refused by storage with %s, and says what to check', async (_, kind) => {
    identity.tokenKind = kind;
    const env = azureLikeEnv(freshTableName('refused'));
    const r = await runCli(['plans'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Storage refused the bot's credentials");
    expect(r.stderr).toContain('Storage Table Data Contributor');
    expect(identity.calls.length).toBeGreaterThan(0);
  });

  it('says what to check when there is no identity to sign in with', async () => {
    identity.tokenKind = 'refused';
    const r = await runCli(['plans'], azureLikeEnv(freshTableName('noidentity')));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not get a token to reach storage');
    expect(r.stderr).not.toContain('Something went wrong');
  });

  it('is unhealthy, not crashed, while storage refuses its token', async () => {
    identity.tokenKind = 'expired';
    const server = await startServe(azureLikeEnv(freshTableName('unhealthy')));
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(503);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

/** `node dist/src/serve.js` on a free port, as App Service starts it; stop() sends SIGTERM. */
async function startServe(
  env: Record<string, string>,
): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child: ChildProcess = spawn(process.execPath, [SERVE], {
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)\/api\/messages/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`serve.js exited (${code}): ${stderr}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
