/**
 * The six smooth activations of ntk-wasm, as data: each carries phi, phi', the properties the
 * paper's assumptions ask about, and the numeric id that names it across the wasm boundary
 * (assembly/activation-ids.ts holds the same ids; a test keeps them in sync).
 * @module
 */
import { NtkInputError } from './errors.js';
import { erf, normalCdf, normalPdf } from './special.js';

/** Numeric ids shared with assembly/activation-ids.ts. */
export const ActivationIds = {
  tanh: 0,
  sigmoid: 1,
  erf: 2,
  gelu: 3,
  softplus: 4,
  sin: 5,
} as const;

/** Name of a built-in activation. */
export type ActivationName = keyof typeof ActivationIds;
/** Numeric id of a built-in activation (the same on both sides of the wasm boundary). */
export type ActivationId = (typeof ActivationIds)[ActivationName];

/** A smooth activation phi: R -> R with its derivative and the facts the theory checks. */
export interface Activation {
  /** Name used by the CLI, specs and fixtures. */
  readonly name: ActivationName;
  /** Id passed to the backends' `activation` kernel. */
  readonly id: ActivationId;
  /** phi(x). */
  readonly phi: (x: number) => number;
  /** phi'(x). */
  readonly dphi: (x: number) => number;
  /** phi(0); Theorem 4.1 assumes 0 (sigmoid has 1/2). */
  readonly phi0: number;
  /** sup |phi'|; Assumption 1 asks for at most 1 (erf and GELU exceed it). */
  readonly lipschitz: number;
  /** Whether phi is odd (then every even Hermite coefficient vanishes and mu_2 = 0). */
  readonly odd: boolean;
  /** Formula, for reports. */
  readonly formula: string;
}

const LOG2 = Math.LN2;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function sigmoid(x: number): number {
  // Written so that neither branch overflows or loses relative accuracy in the far tail.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function softplusShifted(x: number): number {
  // log(1 + e^x) - log 2 with log1p for accuracy near 0 and no overflow for large x.
  const sp = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  return sp - LOG2;
}

function table(): Record<ActivationName, Activation> {
  return {
    tanh: {
      name: 'tanh', id: ActivationIds.tanh, phi: Math.tanh,
      dphi: (x) => { const t = Math.tanh(x); return 1 - t * t; },
      phi0: 0, lipschitz: 1, odd: true, formula: 'tanh(x)',
    },
    sigmoid: {
      name: 'sigmoid', id: ActivationIds.sigmoid, phi: sigmoid,
      dphi: (x) => { const s = sigmoid(x); return s * (1 - s); },
      phi0: 0.5, lipschitz: 0.25, odd: false, formula: '1/(1+e^-x)',
    },
    erf: {
      name: 'erf', id: ActivationIds.erf, phi: erf,
      dphi: (x) => TWO_OVER_SQRT_PI * Math.exp(-x * x),
      phi0: 0, lipschitz: TWO_OVER_SQRT_PI, odd: true, formula: 'erf(x)',
    },
    gelu: {
      name: 'gelu', id: ActivationIds.gelu, phi: (x) => x * normalCdf(x),
      dphi: (x) => normalCdf(x) + x * normalPdf(x),
      // sup of Phi(x) + x phi(x) is at x = sqrt(2): Phi(sqrt2) + sqrt2 * phi(sqrt2).
      phi0: 0, lipschitz: normalCdf(Math.SQRT2) + Math.SQRT2 * normalPdf(Math.SQRT2),
      odd: false, formula: 'x*Phi(x) (exact GELU)',
    },
    softplus: {
      name: 'softplus', id: ActivationIds.softplus, phi: softplusShifted,
      dphi: sigmoid,
      phi0: 0, lipschitz: 1, odd: false, formula: 'log(1+e^x) - log 2',
    },
    sin: {
      name: 'sin', id: ActivationIds.sin, phi: Math.sin, dphi: Math.cos,
      phi0: 0, lipschitz: 1, odd: true, formula: 'sin(x)',
    },
  };
}

/** Every built-in activation by name. */
export const activations: Readonly<Record<ActivationName, Activation>> = Object.freeze(table());

/** Names of the built-in activations, in id order. */
export const activationNames: readonly ActivationName[] = Object.freeze(
  (Object.keys(ActivationIds) as ActivationName[]).sort((a, b) => ActivationIds[a] - ActivationIds[b]),
);

/**
 * Looks an activation up by name (or passes an {@link Activation} through).
 * @throws NtkInputError naming `activation` and the valid names when the name is unknown.
 */
export function getActivation(a: ActivationName | Activation | string): Activation {
  if (typeof a === 'object' && a !== null) return a;
  const found = (activations as Record<string, Activation>)[a];
  if (!found) {
    throw new NtkInputError('activation', `unknown activation ${JSON.stringify(a)}`,
      `use one of ${activationNames.join(', ')}`);
  }
  return found;
}

