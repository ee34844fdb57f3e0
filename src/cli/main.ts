#!/usr/bin/env node
/**
 * The `ntk` command line. Each command lives in its own file under src/cli/ and registers
 * itself here.
 * @module
 */
import { Command, CommanderError } from 'commander';
import { oneLineErrors } from './common.js';
import { versionText } from './version.js';
import { registerEig } from './eig.js';
import { registerEvaluate } from './evaluate.js';
import { registerKernels } from './kernels.js';
import { registerDemoServer } from './demo.js';
import { registerFigure1 } from './figure1.js';
import { registerHermite } from './hermite.js';
import { registerMerge } from './merge.js';
import { registerReport } from './report.js';
import { registerSpectrum } from './spectrum.js';
import { registerSweep } from './sweep.js';
import { registerThreshold } from './threshold.js';

// `ntk ... | head` closes the pipe early: that is the reader's choice, not an error to trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
}

const program = new Command();
program
  .name('ntk')
  .description('Neural tangent kernel at initialization: empirical NTK, lambda_min, theory and experiments')
  .configureOutput(oneLineErrors)
  .exitOverride()
  .option('-V, --version', 'print the version, and the backend and wasm build this machine would use');

registerKernels(program);
registerDemoServer(program);
registerEig(program);
registerEvaluate(program);
registerFigure1(program);
registerHermite(program);
registerSweep(program);
registerThreshold(program);
registerSpectrum(program);
registerMerge(program);
registerReport(program);

// Bare `ntk` prints the help on stdout and exits 0; `ntk --version` prints the version. Both are
// answered here: a program-level action would take unknown commands for its arguments.
const args = process.argv.slice(2);
try {
  if (args.length === 0) program.outputHelp();
  else if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(await versionText());
  else await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`ntk: error: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
