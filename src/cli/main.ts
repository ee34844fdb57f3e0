#!/usr/bin/env node
/**
 * The `ntk` command line. Each command lives in its own file under src/cli/ and registers
 * itself here.
 * @module
 */
import { Command, CommanderError } from 'commander';
import { oneLineErrors } from './common.js';
import { registerEig } from './eig.js';
import { registerEvaluate } from './evaluate.js';
import { registerDemo } from './demo-kernels.js';
import { registerDemoServer } from './demo.js';
import { registerFigure1 } from './figure1.js';
import { registerHermite } from './hermite.js';
import { registerMerge } from './merge.js';
import { registerReport } from './report.js';
import { registerSpectrum } from './spectrum.js';
import { registerSweep } from './sweep.js';
import { registerThreshold } from './threshold.js';

const program = new Command();
program
  .name('ntk')
  .description('Neural tangent kernel at initialization: empirical NTK, lambda_min, theory and experiments')
  .configureOutput(oneLineErrors)
  .exitOverride();

registerDemo(program);
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

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`ntk: error: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
