import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { developmentConnectionString } from '../src/storage/embedded-azurite.js';
import { freePort } from '../test/helpers/free-port.js';

export interface Azurite {
  readonly connectionString: string;
  stop(): Promise<void>;
}

/**
 * Azurite's Table and Queue services each in a process of their own, as storage is in production
 * (other machines, each service scaled on its own): in this process they would compete with the
 * bot for its one JavaScript thread, and in one process together (`azurite`) the Table service's
 * six calls a send and the Queue service's one would share a thread, which on a 2-core machine
 * made the emulator, not the scheduler, the limit.
 */
export async function startAzuriteProcess(): Promise<Azurite> {
  const dist = join(__dirname, '..', '..', 'node_modules', 'azurite', 'dist', 'src');
  const service = async (name: 'table' | 'queue') => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        join(dist, name, 'main.js'),
        '--inMemoryPersistence',
        '--disableTelemetry',
        '--skipApiVersionCheck',
        `--${name}Host`,
        '127.0.0.1',
        `--${name}Port`,
        String(port),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`Azurite ${name} exited with ${code}`)));
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/service successfully (started|listens) on/.test(out)) resolve();
      });
    });
    child.stdout!.resume();
    const stop = () =>
      new Promise<void>((done) => {
        child.removeAllListeners('exit');
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill();
      });
    return { endpoint: `http://127.0.0.1:${port}/devstoreaccount1`, stop };
  };
  const [table, queue] = await Promise.all([service('table'), service('queue')]);
  return {
    connectionString: developmentConnectionString(table.endpoint, queue.endpoint),
    stop: async () => {
      await Promise.all([table.stop(), queue.stop()]);
    },
  };
}
