import { readConfig } from '../../src/config.js';
import { openContainer } from '../../src/container.js';
import { startServer } from '../../src/server.js';
import { recordingLogger, type LogRecord } from '../helpers/recording-logger.js';

/**
 * Where the server listens. Without an app id nothing is authenticated, so unless HOST says
 * otherwise only this machine can reach it; a bot with an app id listens on every interface, as
 * App Service and containers need.
 */
async function listen(env: Record<string, string>) {
  const config = readConfig({ LOG_LEVEL: 'silent', PORT: '0', ...env });
  const logs: LogRecord[] = [];
  const container = await openContainer(config, { inMemory: true, logger: recordingLogger(logs) });
  const server = await startServer({ container });
  await server.close();
  await container.close();
  return { server, logs };
}

describe('the address the server listens on', () => {
  it('is 127.0.0.1 alone without an app id, and it says so at start', async () => {
    const { server, logs } = await listen({});
    expect(server.address).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(logs.map((l) => l.message)).toContainEqual(
      expect.stringContaining('listens on 127.0.0.1 only (set HOST to listen elsewhere)'),
    );
  });

  it('is HOST when it is set, and the start warns that nothing is authenticated there', async () => {
    const { server, logs } = await listen({ HOST: '0.0.0.0' });
    expect(server.address).toBe('0.0.0.0');
    expect(logs.map((l) => l.message)).toContainEqual(
      expect.stringContaining('yet HOST makes the bot listen beyond this machine'),
    );
  });

  it('is every interface for a bot with an app id', async () => {
    const { server } = await listen({
      MicrosoftAppId: '3c5f1a9e-7d2b-4e8f-9a61-0b2c4d6e8f10',
      MicrosoftAppPassword: 'not-a-secret',
      ALLOWED_TENANT_IDS: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    });
    expect(['::', '0.0.0.0']).toContain(server.address);
  });
});
