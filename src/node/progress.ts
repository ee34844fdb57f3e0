/**
 * Progress of a sweep in a terminal: a bar with the current point, elapsed time and ETA when
 * the stream is a TTY (cli-progress), one plain line per finished point otherwise (logs, CI,
 * cluster jobs). The ETA weights points by their estimated cost (large n dominates), so it is
 * not fooled by the many cheap small points at the start. Node only.
 * @module
 */
import type CliProgress from 'cli-progress';
import type { SweepPoint } from '../experiments/grid.js';
import type { SweepProgress } from '../experiments/runner.js';
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

/**
 * The remaining time of a sweep from the points finished so far. Each point costs a fixed
 * overhead plus a part that grows with its estimated work (see pointCost): seconds = a + b cost,
 * fitted by least squares (a, b >= 0) to the finished points. A plain ratio of elapsed time to
 * work done would trust the cheap small points at the start, whose time is nearly all overhead,
 * and overestimate a long sweep many times over. The first point (JIT warm-up, first
 * infinite-width kernel) is left out of the fit, and no estimate is given before 3 points.
 */
export class EtaEstimator {
  private readonly obs: { cost: number; seconds: number }[] = [];

  /** Records a finished point: its estimated work and the seconds it took. */
  observe(cost: number, seconds: number): void {
    if (Number.isFinite(cost) && Number.isFinite(seconds) && cost >= 0 && seconds >= 0) this.obs.push({ cost, seconds });
  }

  /** Estimated seconds for `points` more points of total work `cost`; NaN before 3 points finished. */
  remaining(cost: number, points: number): number {
    if (this.obs.length < 3) return NaN;
    const o = this.obs.slice(1);
    if (points <= 0) return 0;
    const k = o.length;
    const sc = o.reduce((s, x) => s + x.cost, 0), st = o.reduce((s, x) => s + x.seconds, 0);
    const mc = sc / k, mt = st / k;
    const vc = o.reduce((s, x) => s + (x.cost - mc) ** 2, 0);
    let a: number, b: number;
    if (vc > 1e-12 * mc * mc * k) {
      b = Math.max(0, o.reduce((s, x) => s + (x.cost - mc) * (x.seconds - mt), 0) / vc);
      a = mt - b * mc;
      // A negative overhead is noise: refit through the origin.
      if (a < 0) { a = 0; b = st / Math.max(sc, 1e-300); }
    } else {
      // All points alike so far: the same time each, spread as the work is.
      a = 0;
      b = sc > 0 ? st / sc : 0;
      if (b === 0) return (st / k) * points;
    }
    return a * points + b * cost;
  }
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
  const estimator = new EtaEstimator();
  let lastAt = start, lastCost = 0;
  /** Feeds a finished point to the estimator (once per `done` event). */
  const observe = (p: SweepProgress) => {
    const now = performance.now();
    estimator.observe(p.costDone - lastCost, (now - lastAt) / 1000);
    lastAt = now;
    lastCost = p.costDone;
  };
  const eta = (p: SweepProgress) => estimator.remaining(p.costTotal - p.costDone, p.total - p.finished);
  const tty = opts.tty ?? stream.isTTY === true;
  if (!tty || !cliProgress) {
    return {
      onProgress(p) {
        if (p.phase === 'start') {
          stream.write(`ntk: ${p.total} point${p.total === 1 ? '' : 's'} to run${p.skipped ? ` (${p.skipped} done earlier, skipped)` : ''}\n`);
        } else if (p.phase === 'point' && p.finished === 0) {
          lastAt = performance.now(); // time from here, not from opening the folder
        } else if (p.phase === 'done' && p.point && p.record) {
          observe(p);
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
      else if (p.phase === 'point' && p.point) {
        if (p.finished === 0) lastAt = performance.now();
        bar.update(value, payload(p, pointLabel(p.point, opts.vary)));
      } else if (p.phase === 'done') {
        observe(p);
        bar.update(value, payload(p, p.point ? pointLabel(p.point, opts.vary) : ''));
      }
      else if (p.phase === 'end') bar.update(value, payload(p, 'finished'));
    },
    stop() {
      clearInterval(timer);
      bar.stop();
    },
  };
}
