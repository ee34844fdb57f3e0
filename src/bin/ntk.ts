#!/usr/bin/env node
/**
 * The `ntk` executable: checks that the command line's optional dependencies are installed
 * (a library-only install of ntk-wasm has none of them), printing one line naming what to
 * install when they are not, then runs the command line (src/cli/main.ts).
 * @module
 */
import { NtkMissingDependencyError } from '../optional.js';

const NEEDED = ['commander', 'cli-progress', 'vega', 'vega-lite'];
const missing = NEEDED.filter((name) => {
  try {
    import.meta.resolve(name);
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  process.stderr.write(`ntk: error: ${new NtkMissingDependencyError('the ntk command line', missing).message}\n`);
  process.exitCode = 2;
} else {
  await import('../cli/main.js');
}
