/**
 * Joining the records of several runs of one sweep (shards, or a run and its resume): one
 * record per point, in grid order, with duplicates and disagreements reported.
 * Browser-safe: no Node imports.
 * @module
 */
import { enumeratePoints, type SweepSpec } from './grid.js';
import { recordNumbers, type PointRecord } from './records.js';

/** Names of the fields in which two specs differ (empty when they describe the same sweep). */
export function specDiff(a: SweepSpec, b: SweepSpec): (keyof SweepSpec)[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof SweepSpec>;
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

/** What {@link mergeRecords} found. */
export interface MergeResult {
  /** One record per point, in grid order (points outside the grid last, in input order). */
  records: PointRecord[];
  /** Keys seen more than once with identical numbers (harmless). */
  duplicates: string[];
  /** Keys seen more than once with different numbers (e.g. computed on different backends): the first is kept. */
  conflicts: string[];
  /** Grid points no input holds (a shard that has not finished). */
  missing: string[];
}

/**
 * Merges record lists. With `spec`, orders by the grid and lists the missing points.
 */
export function mergeRecords(lists: readonly (readonly PointRecord[])[], spec?: SweepSpec): MergeResult {
  const byKey = new Map<string, PointRecord>();
  const duplicates: string[] = [], conflicts: string[] = [];
  for (const list of lists) {
    for (const r of list) {
      const prev = byKey.get(r.key);
      if (!prev) { byKey.set(r.key, r); continue; }
      if (JSON.stringify(recordNumbers(prev)) === JSON.stringify(recordNumbers(r))) duplicates.push(r.key);
      else conflicts.push(r.key);
    }
  }
  if (!spec) return { records: [...byKey.values()], duplicates, conflicts, missing: [] };
  const points = enumeratePoints(spec);
  const records: PointRecord[] = [], missing: string[] = [];
  const inGrid = new Set<string>();
  for (const p of points) {
    inGrid.add(p.key);
    const r = byKey.get(p.key);
    if (r) records.push(r);
    else missing.push(p.key);
  }
  for (const r of byKey.values()) if (!inGrid.has(r.key)) records.push(r);
  return { records, duplicates, conflicts, missing };
}
