import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type ActivityJson,
  aMessage,
  aConversationUpdate,
  BOT,
  KIM,
  SAM,
  personalChatOf,
} from '../../helpers/activities';
import { startFakeConnector, type FakeConnector } from '../../helpers/fake-connector';
import { selfSignedCert } from '../../helpers/self-signed-cert';

/**
 * With APPLICATIONINSIGHTS_CONNECTION_STRING set, the bot (the built `serve.js`, as App Service
 * runs it) sends its telemetry to Application Insights: here a loopback stand-in for the
 * ingestion endpoint (`/v2.1/track`, https only, as the exporter insists), which records every
 * envelope. Requests, log lines with the activity id, and on stop the last of them, flushed.
 */

const SERVE = join(__dirname, '..', '..', '..', 'dist', 'src', 'serve.js');
const INSTRUMENTATION_KEY = '1f2e3d4c-5b6a-4987-8a6b-5c4d3e2f1a0b';

interface Envelope {
  readonly name: string;
  readonly iKey: string;
  readonly tags?: Record<string, string>;
  readonly data: { baseType: string; baseData: Record<string, unknown> };
}

let dir: string;
let certPath: string;
let ingestion: Server;
let ingestionUrl: string;
const envelopes: Envelope[] = [];
let connector: FakeConnector;
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'actionplan-appinsights-'));
  const { cert, key } = selfSignedCert();
  certPath = join(dir, 'cert.pem');
  await writeFile(certPath, cert);
  ingestion = createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const items = JSON.parse(body.toString()) as Envelope[];
      if (req.url?.startsWith('/v2.1/track')) envelopes.push(...items);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }),
      );
    });
  });
  await new Promise<void>((done) => ingestion.listen(0, '127.0.0.1', done));
  ingestionUrl = `https://127.0.0.1:${(ingestion.address() as AddressInfo).port}/`;
  connector = await startFakeConnector();
  connector.addMembers({
    id: SAM.id,
    name: SAM.name,
    aadObjectId: SAM.aadObjectId,
    email: SAM.email,
    userPrincipalName: SAM.email,
  });
});

afterAll(async () => {
  await connector?.close();
  await new Promise<void>((done) => ingestion.close(() => done()));
  await rm(dir, { recursive: true, force: true });
});

/** Runs serve.js until `work` is done, then stops it with SIGTERM; returns its standard error. */
async function withServe(
  env: Record<string, string>,
  work: (url: string) => Promise<void>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [SERVE], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      // The embedded Azurite, in this test's own directory on free ports.
      ACTIONPLAN_DATA_DIR: join(dir, `data-${++runs}`),
      AZURITE_TABLE_PORT: '0',
      AZURITE_QUEUE_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)\/api\/messages/.exec(out);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`serve.js exited (${code}): ${stderr}`)));
    });
    await work(url);
  } finally {
    child.kill('SIGTERM');
  }
  return { code: await exited, stderr };
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('telemetry to Application Insights', () => {
  it('sends requests and every log line, with its activity id, and flushes them on stop', async () => {
    envelopes.length = 0;
    // Kim is unknown to the connector's member look-up: the install route logs two warnings.
    const install: ActivityJson = {
      ...aConversationUpdate({ from: KIM, in: personalChatOf(KIM), membersAdded: [BOT] }),
      serviceUrl: connector.url,
    };
    const message: ActivityJson = {
      ...aMessage({ from: SAM, text: 'help' }),
      serviceUrl: connector.url,
    };
    const run = await withServe(
      {
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${INSTRUMENTATION_KEY};IngestionEndpoint=${ingestionUrl}`,
        // The SDK's own usage statistics go to Microsoft, not to this endpoint: none from a test.
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        NODE_EXTRA_CA_CERTS: certPath,
        LOG_LEVEL: 'debug',
      },
      async (url) => {
        expect((await post(url, install)).status).toBe(200);
        expect((await post(url, message)).status).toBe(200);
      },
    );
    expect(run.code).toBe(0);
    expect(connector.messages().length).toBeGreaterThan(0);

    expect(envelopes.every((e) => e.iKey === INSTRUMENTATION_KEY)).toBe(true);
    const requests = envelopes.filter((e) => e.data.baseType === 'RequestData');
    expect(requests.map((r) => r.data.baseData.name)).toContain('POST /api/messages');
    // The bot's replies to the (fake) Bot Connector, as dependencies.
    expect(envelopes.some((e) => e.data.baseType === 'RemoteDependencyData')).toBe(true);

    const traces = envelopes.filter((e) => e.data.baseType === 'MessageData');
    const linesOf = (activityId: string) =>
      traces.filter(
        (t) => (t.data.baseData.properties as Record<string, string>)?.activityId === activityId,
      );
    expect(traces.map((t) => t.data.baseData.message)).toContain('listening');
    expect(linesOf(install.id as string).length).toBeGreaterThan(0);
    // A line written during a request belongs to that request's operation.
    for (const trace of linesOf(install.id as string)) {
      expect(trace.tags?.['ai.operation.id']).toMatch(/^[0-9a-f]{32}$/);
    }
    // The same lines still go to standard error as JSON.
    const stderrLines = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(stderrLines.some((l) => l.msg === 'listening')).toBe(true);
  });

  it('stays off without the connection string: JSON lines on standard error only', async () => {
    envelopes.length = 0;
    const run = await withServe({ NODE_EXTRA_CA_CERTS: certPath }, async (url) => {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    });
    expect(run.code).toBe(0);
    expect(envelopes).toEqual([]);
    expect(run.stderr).toMatch(/^\{.*"msg":"listening"/m);
  });
});
