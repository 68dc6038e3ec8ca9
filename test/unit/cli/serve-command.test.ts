import { runCli, type CliEnvironment } from '../../../src/cli/program.js';
import { parsePort } from '../../../src/cli/serve-command.js';
import { readConfig } from '../../../src/config.js';

function environment(): CliEnvironment & { output: string[]; errors: string[] } {
  const output: string[] = [];
  const errors: string[] = [];
  return {
    output,
    errors,
    out: (text) => output.push(text),
    err: (text) => errors.push(text),
    config: readConfig({}),
    open: () => Promise.reject(new Error('serve must not open storage before its port is checked')),
    readPlanFile: () => Promise.reject(new Error('not used')),
  };
}

describe('actionplan serve', () => {
  it('is listed with its --port option', async () => {
    const env = environment();
    expect(await runCli(['serve', '--help'], env)).toBe(0);
    expect(env.output.join('\n')).toMatch(/--port <port>\s+port to listen on/);
  });

  it('refuses a port that is not a port, before starting anything', async () => {
    const env = environment();
    expect(await runCli(['serve', '--port', 'eighty'], env)).toBe(2);
    expect(env.errors.join('\n')).toContain('a port is a whole number from 0 to 65535');
  });

  it('reads ports from 0 to 65535', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('3978')).toBe(3978);
    for (const bad of ['-1', '65536', '39.78', '']) expect(() => parsePort(bad)).toThrow();
  });
});
