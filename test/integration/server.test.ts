import { EventEmitter } from 'node:events';
import { TableClient } from '@azure/data-tables';
import { readConfig } from '../../src/config.js';
import { openContainer, type Container } from '../../src/container.js';
import { silentLogger } from '../../src/ports/logger.js';
import { serve, startServer, type RunningServer } from '../../src/server.js';

const config = readConfig({ LOG_LEVEL: 'silent', PORT: '0' });
const openInMemory = () => openContainer(config, { inMemory: true, logger: silentLogger });

describe('serve', () => {
  it('serves until SIGTERM, then stops taking requests and closes storage', async () => {
    const signals = new EventEmitter();
    let container: Container | undefined;
    let server: RunningServer | undefined;
    const served = serve({
      config,
      port: 0,
      signals,
      open: async () => (container = await openInMemory()),
      onListening: (s) => (server = s),
    });
    await new Promise<void>((resolve) => {
      const wait = () => (server ? resolve() : setImmediate(wait));
      wait();
    });
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);

    signals.emit('SIGTERM');
    await served;

    await expect(fetch(`${server!.url}/healthz`)).rejects.toThrow();
    await expect(container!.checkStorage()).rejects.toMatchObject({
      reason: 'storage_unavailable',
    });
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
  });

  it('stops on SIGINT too', async () => {
    const signals = new EventEmitter();
    let listening = false;
    const served = serve({
      config,
      port: 0,
      signals,
      open: openInMemory,
      onListening: () => (listening = true),
    });
    await new Promise<void>((resolve) => {
      const wait = () => (listening ? resolve() : setImmediate(wait));
      wait();
    });
    signals.emit('SIGINT');
    await expect(served).resolves.toBeUndefined();
  });
});

describe('the web server beside the embedded Azurite', () => {
  it('leaves the emulator able to filter queries, though restify patches every request', async () => {
    const container = await openInMemory();
    const server = await startServer({ container, port: 0, host: '127.0.0.1' });
    try {
      const table = TableClient.fromConnectionString(container.connectionString, 'Filtered', {
        allowInsecureConnection: true,
      });
      await table.createTable();
      await table.upsertEntity({ partitionKey: 'a', rowKey: '1' });
      await table.upsertEntity({ partitionKey: 'b', rowKey: '1' });
      const found: string[] = [];
      for await (const e of table.listEntities({
        queryOptions: { filter: "PartitionKey eq 'b'" },
      })) {
        found.push(e.partitionKey!);
      }
      expect(found).toEqual(['b']);
    } finally {
      await server.close();
      await container.close();
    }
  });

  it('answers an unknown path with 404 and a wrong method with 405', async () => {
    const container = await openInMemory();
    const server = await startServer({ container, port: 0, host: '127.0.0.1' });
    try {
      expect((await fetch(`${server.url}/nothing-here`)).status).toBe(404);
      expect((await fetch(`${server.url}/api/messages`)).status).toBe(405);
    } finally {
      await server.close();
      await container.close();
    }
  });
});
