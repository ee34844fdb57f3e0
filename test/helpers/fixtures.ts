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

/** Every network fixture. */
export function netFixtures(): NetFixture[] {
  return readdirSync(FIXTURES).filter((f) => /^net_.*\.json$/.test(f)).sort()
    .map((f) => ({ ...readFixture<NetFixture>(f), file: f }));
}
