import { PassThrough } from 'node:stream';
import { terminalProgress, type BarStream } from '../../../src/cli/progress-bar.js';
import { noProgress } from '../../../src/ports/progress.js';

/** A stream that says whether it is a terminal, and keeps everything written to it. */
function stream(isTTY: boolean): BarStream & { written: () => string } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; columns: number };
  s.isTTY = isTTY;
  s.columns = 100;
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return Object.assign(s, { written: () => chunks.join('') });
}

const settle = (): Promise<void> => new Promise((done) => setImmediate(done));

describe('terminalProgress', () => {
  it('draws nothing when standard error is not a terminal (a pipe, a file, CI)', async () => {
    const s = stream(false);
    const progress = terminalProgress(s);
    expect(progress).toBe(noProgress);
    progress.stage('Saving records', 5000);
    progress.update(2500);
    progress.stop();
    await settle();
    expect(s.written()).toBe('');
  });

  it('draws a bar per stage on a terminal, with the label and the count, and clears it at the end', async () => {
    const s = stream(true);
    const progress = terminalProgress(s);
    progress.stage('Saving records', 5000);
    progress.update(2500);
    progress.stage('Writing backup.json', 1);
    progress.update(1);
    progress.stop();
    await settle();
    const out = s.written();
    expect(out).toContain('Saving records [');
    expect(out).toMatch(/\/5000/);
    expect(out).toContain('Writing backup.json [');
    // The cursor is hidden while drawing and shown again when done.
    expect(out).toContain('\u001b[?25l');
    expect(out).toContain('\u001b[?25h');
  });
});
