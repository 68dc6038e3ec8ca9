import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { developmentConnectionString } from '../../src/storage/embedded-azurite.js';
import { freePort } from './free-port.js';

/** Azurite's Table and Queue services, each in a process of its own. */
export interface AzuriteProcess {
  readonly connectionString: string;
  /** The services' process ids (to measure their CPU). */
  readonly pids: readonly number[];
  /** Freezes both processes (SIGSTOP): connections are accepted, nothing is answered. */
  pause(): void;
  /** Lets them go on (SIGCONT), with everything they held. */
  resume(): void;
  stop(): Promise<void>;
}

/**
 * Starts Azurite's Table and Queue services in memory, each in a child process, as storage is in
 * production (other machines, each service on its own): in the caller's process they would share
 * its one JavaScript thread, and a test can freeze them without freezing itself.
 */
export async function startAzuriteProcess(): Promise<AzuriteProcess> {
  // Wherever this runs from (the sources under jest, or built under dist/ for the benchmarks).
  const dist = join(dirname(require.resolve('azurite/package.json')), 'dist', 'src');
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
    return { endpoint: `http://127.0.0.1:${port}/devstoreaccount1`, child };
  };
  const [table, queue] = await Promise.all([service('table'), service('queue')]);
  const children: ChildProcess[] = [table.child, queue.child];
  const stop = (child: ChildProcess) =>
    new Promise<void>((done) => {
      child.removeAllListeners('exit');
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGCONT');
      child.kill();
    });
  return {
    connectionString: developmentConnectionString(table.endpoint, queue.endpoint),
    pids: children.map((c) => c.pid!),
    pause: () => children.forEach((c) => c.kill('SIGSTOP')),
    resume: () => children.forEach((c) => c.kill('SIGCONT')),
    stop: async () => {
      await Promise.all(children.map(stop));
    },
  };
}
