#!/usr/bin/env node
// The long version of test/fuzz-hunt.test.ts (opt-in; npm test runs the short one): the same
// properties with many more runs. Run after `npm run build`:
//   node scripts/fuzz-long.mjs [runs=2000]
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runs = process.argv[2] ?? '2000';
if (!/^\d+$/.test(runs)) { console.error(`fuzz-long: runs must be a positive integer, got ${runs}`); process.exit(2); }
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz-hunt.test.ts', '--testTimeout', '0'], {
  cwd: ROOT, stdio: 'inherit', env: { ...process.env, NTK_FUZZ_RUNS: runs },
});
process.exit(r.status ?? 1);
