/**
 * Progress of a sweep in a terminal: a bar with the current point, elapsed time and ETA when
 * the stream is a TTY (cli-progress), one plain line per finished point otherwise (logs, CI,
 * cluster jobs). The ETA weights points by their estimated cost (large n dominates), so it is
 * not fooled by the many cheap small points at the start. Node only.
 * @module
 */
import type CliProgress from 'cli-progress';
import type { SweepPoint } from './grid.js';
import type { SweepProgress } from './runner.js';
import { isModuleNotFound } from '../optional.js';

// An optional dependency (the command line installs it; a library user may not have it):
// without it a terminal gets the plain lines that logs get.
const cliProgress: typeof CliProgress | null = await import('cli-progress')
  .then((m) => m.default, (e: unknown) => { if (isModuleNotFound(e)) return null; throw e; });

/** h:mm:ss or m:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}

/** A short label of a point: `tanh n=m=300 seed 1`. */
export function pointLabel(p: SweepPoint, vary: string): string {
  const size = p.n === p.m ? `n=m=${p.m}` : `n=${p.n} m=${p.m}`;
  const extra = vary === 'depth' ? ` L=${p.depth}` : vary === 'sigma0' ? ` sigma0=${p.sigma0}` : '';
  return `${p.activation} ${size}${extra} seed ${p.seed}`;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** What the sweep varies (for labels). */
  vary: string;
  /** Stream to write to (default process.stderr). */
  stream?: NodeJS.WriteStream;
  /** Print nothing. */
  quiet?: boolean;
  /** Force the TTY bar on or off (default: the stream's isTTY). */
  tty?: boolean;
}

/** A progress reporter: feed it {@link SweepProgress} events, stop it at the end. */
export interface ProgressReporter {
  onProgress(p: SweepProgress): void;
  stop(): void;
}

/** Creates the reporter suited to the stream. */
export function createProgress(opts: ProgressOptions): ProgressReporter {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { onProgress: () => {}, stop: () => {} };
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  const eta = (p: SweepProgress) => {
    if (p.costDone <= 0) return NaN;
    return (elapsed() * (p.costTotal - p.costDone)) / p.costDone;
  };
  const tty = opts.tty ?? stream.isTTY === true;
  if (!tty || !cliProgress) {
    return {
      onProgress(p) {
        if (p.phase === 'start') {
          stream.write(`ntk: ${p.total} point${p.total === 1 ? '' : 's'} to run${p.skipped ? ` (${p.skipped} done earlier, skipped)` : ''}\n`);
        } else if (p.phase === 'done' && p.point && p.record) {
          const r = p.record;
          stream.write(`[${p.finished}/${p.total}] ${pointLabel(p.point, opts.vary)}: lambda_min ${r.lambda_min.toExponential(4)}` +
            ` (${r.timings.total.toFixed(2)} s) elapsed ${formatDuration(elapsed())} ETA ${formatDuration(eta(p))}\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({
    stream,
    // Payload names differ from cli-progress's own tokens ({eta}, {duration}), which would win.
    format: '{bar} {percentage}% | {done}/{count} points | {point} | elapsed {elapsedText} | ETA {etaText}',
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    fps: 4,
  }, cliProgress.Presets.shades_classic);
  let last: SweepProgress | null = null;
  const payload = (p: SweepProgress, point: string) => ({
    done: p.finished, count: p.total, point, elapsedText: formatDuration(elapsed()), etaText: p.costDone > 0 ? formatDuration(eta(p)) : '-',
  });
  // Elapsed time keeps moving while one long point runs.
  const timer = setInterval(() => { if (last) bar.update(payload(last, last.point ? pointLabel(last.point, opts.vary) : '')); }, 1000);
  timer.unref?.();
  return {
    onProgress(p) {
      last = p;
      const value = p.costTotal > 0 ? Math.round((1000 * p.costDone) / p.costTotal) : 0;
      if (p.phase === 'start') bar.start(1000, 0, payload(p, 'starting'));
      else if (p.phase === 'point' && p.point) bar.update(value, payload(p, pointLabel(p.point, opts.vary)));
      else if (p.phase === 'done') bar.update(value, payload(p, p.point ? pointLabel(p.point, opts.vary) : ''));
      else if (p.phase === 'end') bar.update(value, payload(p, 'finished'));
    },
    stop() {
      clearInterval(timer);
      bar.stop();
    },
  };
}
