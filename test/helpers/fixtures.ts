/** Loading the reference fixtures of test/data/reference (see its README). */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of the reference fixtures, found from this file so any working directory works. */
export const FIXTURES = fileURLToPath(new URL('../data/reference/', import.meta.url));

/** A network fixture (net_*.json), typed loosely: field names follow the fixture README. */
export interface NetFixture {
  name: string;
  file: string;
  inputs: {
    activation: string; sigma0: number | null; nu0sq: number; sv2: number;
    n: number; d: number; L: number; widths: number[];
    X: number[][]; W: number[][][]; v: number[];
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  expected: Record<string, any>;
  tolerances: Record<string, number | string>;
}

/** Reads one JSON fixture. */
export function readFixture<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(resolve(FIXTURES, file), 'utf8')) as T;
}

/**
 * Every network fixture: exactly the files index.json lists (8), so a loop over them can
 * neither run empty nor silently skip a missing or unlisted case.
 * @throws Error when the folder and index.json disagree.
 */
export function netFixtures(): NetFixture[] {
  const files = readdirSync(FIXTURES).filter((f) => /^net_.*\.json$/.test(f)).sort();
  const listed = readFixture<{ file: string }[]>('index.json').map((e) => e.file).sort();
  if (listed.length === 0 || files.join() !== listed.join()) {
    throw new Error(`network fixtures in ${FIXTURES} (${files.join(', ') || 'none'}) differ from index.json (${listed.join(', ') || 'none'})`);
  }
  return files.map((f) => ({ ...readFixture<NetFixture>(f), file: f }));
}

/** How many network fixtures there are (index.json lists them); loops check they saw all. */
export const NET_FIXTURE_COUNT = 8;

/**
 * How closely a Hermite coefficient of hermite_coeffs.json is checked: to 1e-12 of its own
 * size (so a coefficient near 1e-8 is checked to 1e-20, not to 1e-12 absolute), plus the
 * accuracy of a coefficient that is exactly zero by symmetry (even r of an odd activation),
 * which the reference knows only to its quadrature's rounding: about 1e-17 sqrt(E[phi^2]) in
 * the orthonormal convention, a^(r/2) times that in 'expand' and a^(-r/2) in 'weighted'.
 */
export function hermiteTolerance(want: number, r: number, a: number, convention: 'expand' | 'orthonormal' | 'weighted', ePhi2: number): number {
  const toConvention = convention === 'expand' ? a ** (r / 2) : convention === 'weighted' ? a ** (-r / 2) : 1;
  return 1e-12 * Math.abs(want) + 1e-15 * Math.sqrt(ePhi2) * toConvention;
}
