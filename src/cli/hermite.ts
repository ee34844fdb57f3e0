/**
 * `ntk hermite`: the generalized Hermite coefficients of an activation under N(0, a)
 * (paper Definition 4.1, in one of the three conventions of docs/conventions.md),
 * with E[phi^2] and the Parseval residual.
 * @module
 */
import type { Command } from 'commander';
import { activationNames, getActivation } from '../activations.js';
import { NtkInputError } from '../errors.js';
import { assumptionsBroken } from '../theory/theorem.js';
import { checkConvention, hermiteCoefficients, hermiteConventions } from '../theory/hermite.js';
import { action, parseNumber, printJson } from './common.js';

interface HermiteCliOptions {
  activation: string;
  a: number;
  rmax: number;
  convention: string;
  json?: boolean;
}

/** Registers `ntk hermite`. */
export function registerHermite(program: Command): void {
  const positive = (x: number) => (x > 0 ? null : `must be > 0, got ${x}`);
  const rmaxCheck = (x: number) => (Number.isInteger(x) && x >= 0 && x <= 10000 ? null : `must be an integer in [0, 10000], got ${x}`);
  program.command('hermite')
    .description('generalized Hermite coefficients of an activation under N(0, a), with E[phi^2] and the Parseval residual')
    .option('--activation <name>', `one of ${activationNames.join(', ')}`, 'tanh')
    .option('--a <variance>', 'variance a of N(0, a) (> 0)', parseNumber('--a', positive), 1)
    .option('--rmax <r>', 'highest degree (integer >= 0)', parseNumber('--rmax', rmaxCheck), 10)
    .option('--convention <c>', `${hermiteConventions.join(' | ')} (see below)`, 'expand')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Conventions (b_r = E_{x~N(0,a)}[phi(x) He_r(x/sqrt a)/sqrt(r!)]):
  expand       mu_r = a^{r/2} b_r, so that phi = sum_r mu_r H_r^{[a]} (eq. 7)   [default]
  orthonormal  b_r (Parseval: E[phi^2] = sum_r b_r^2)
  weighted     E[phi H_r^{[a]}] = a^{-r/2} b_r (eq. 6 with the Gaussian weight)
Computed by the trapezoid rule on a uniform grid (~1e-16); the Parseval residual is
E[phi^2] - sum_{r<=rmax} b_r^2, the part of phi beyond degree rmax.

Example:
  ntk hermite --activation tanh --a 2.5 --rmax 10 --convention expand`)
    .action(action((o: HermiteCliOptions) => {
      if (!(activationNames as readonly string[]).includes(o.activation)) {
        throw new NtkInputError('--activation', `unknown activation ${JSON.stringify(o.activation)}`, `use one of ${activationNames.join(', ')}`);
      }
      if (!(hermiteConventions as readonly string[]).includes(o.convention)) {
        throw new NtkInputError('--convention', `unknown convention ${JSON.stringify(o.convention)}`, `use one of ${hermiteConventions.join(', ')}`);
      }
      const act = getActivation(o.activation);
      const convention = checkConvention(o.convention);
      if (!Number.isFinite(o.a) || !(o.a > 0)) throw new NtkInputError('--a', `must be > 0, got ${o.a}`, 'pass e.g. --a 1');
      const h = hermiteCoefficients(act, o.a, { rmax: o.rmax, convention });
      const broken = assumptionsBroken(act);
      if (o.json) {
        printJson({
          activation: act.name, a: o.a, rmax: o.rmax, convention, coefficients: Array.from(h.coefficients),
          E_phi2: h.ePhi2, parseval_residual: h.parsevalResidual, assumptions_broken: broken,
        });
        return;
      }
      const lines = [
        `${act.name} (${act.formula}) under N(0, ${o.a}), convention ${convention}, r = 0..${o.rmax}`,
        ...Array.from(h.coefficients, (c, r) => `  r = ${String(r).padStart(3)}   ${fmt(c)}`),
        `E[phi^2]          ${fmt(h.ePhi2)}`,
        `Parseval residual ${fmt(h.parsevalResidual)}  (E[phi^2] - sum_{r<=${o.rmax}} b_r^2)`,
      ];
      if (broken.length) lines.push(`note: ${act.name} is outside Theorem 4.1's assumptions: ${broken.join('; ')}`);
      process.stdout.write(lines.join('\n') + '\n');
    }));
}

function fmt(x: number): string {
  return (x < 0 || Object.is(x, -0) ? '' : ' ') + x.toExponential(16);
}
