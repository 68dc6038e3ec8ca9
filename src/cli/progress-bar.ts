import { SingleBar } from 'cli-progress';
import { noProgress, type Progress } from '../ports/progress.js';

/** The part of a stream a progress bar needs: process.stderr, or a test's stand-in. */
export type BarStream = NodeJS.WritableStream & { readonly isTTY?: boolean; columns?: number };

/**
 * A progress bar on `stream` (standard error, so it never mixes into what a command prints or a
 * pipe reads), only when it is a terminal: piped, redirected or in CI, nothing is drawn. Each
 * stage gets its own bar, cleared when the next stage starts or the job stops.
 */
export function terminalProgress(stream: BarStream): Progress {
  if (!stream.isTTY) return noProgress;
  let bar: SingleBar | undefined;
  const finish = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    stage(label, total) {
      finish();
      bar = new SingleBar({
        stream,
        format: `${label} [{bar}] {percentage}% | {value}/{total}`,
        barsize: 30,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      });
      bar.start(Math.max(total, 0), 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop: finish,
  };
}
