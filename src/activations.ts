/**
 * The activations of ntk-wasm, as data: each carries phi, phi', the properties the paper's
 * assumptions ask about, its closed-form Gaussian expectations when they exist
 * (src/closed-forms.ts), and the numeric id that names it across the wasm boundary
 * (assembly/activation-ids.ts holds the same ids; a test keeps them in sync). Six are smooth;
 * relu is not (outside the paper's Assumption 1) and is there for comparison.
 * @module
 */
import { erfForms, reluForms, sinForms, type GaussianClosedForms } from './closed-forms.js';
import { describeValue, NtkInputError } from './errors.js';
import { erf, expNegSquare, gelu, geluPrime, normalCdf, normalPdf } from './special.js';

/** Numeric ids shared with assembly/activation-ids.ts. */
export const ActivationIds = {
  /** tanh(x). */
  tanh: 0,
  /** 1 / (1 + e^-x) (phi(0) = 1/2: outside Theorem 4.1). */
  sigmoid: 1,
  /** erf(x) (sup |phi'| = 2/sqrt(pi) > 1: outside Assumption 1). */
  erf: 2,
  /** GELU x Phi(x) (sup |phi'| ~ 1.13 > 1: outside Assumption 1). */
  gelu: 3,
  /** Shifted softplus log(1 + e^x) - log 2 (phi(0) = 0). */
  softplus: 4,
  /** sin(x). */
  sin: 5,
  /** max(x, 0), with phi'(0) = 0 (not smooth: outside Assumption 1). */
  relu: 6,
} as const;

/** Name of a built-in activation. */
export type ActivationName = keyof typeof ActivationIds;
/** Numeric id of a built-in activation (the same on both sides of the wasm boundary). */
export type ActivationId = (typeof ActivationIds)[ActivationName];

/** An activation phi: R -> R with its derivative and the facts the theory checks. */
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
  /**
   * Whether phi'' exists and is bounded (Assumption 1's beta_phi-smoothness); relu's is not:
   * phi' jumps at 0, where this library takes phi'(0) = 0 (as autodiff frameworks do).
   */
  readonly smooth: boolean;
  /** Closed-form Gaussian expectations (pair kernels, Hermite coefficients), or null. */
  readonly closedForms: GaussianClosedForms | null;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

// The scalar formulas below are the js backend's kernels and the reference for the wasm ones.
// Each is written to stay relatively accurate over the whole line, derivatives included, and
// to give the limits at +-Infinity and NaN for NaN.

function sigmoid(x: number): number {
  // Neither branch overflows or loses relative accuracy in the far tails.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function sigmoidPrime(x: number): number {
  // e / (1 + e)^2 with e = e^{-|x|}: s (1 - s) would lose everything to cancellation for x >> 0.
  const e = Math.exp(-Math.abs(x));
  return e / ((1 + e) * (1 + e));
}

function tanhPrime(x: number): number {
  const a = Math.abs(x);
  if (a < 0.625) { const t = Math.tanh(x); return 1 - t * t; }
  // sech^2 = 4e/(1+e)^2, e = e^{-2|x|}: 1 - tanh^2 cancels to 0 for |x| > 19.
  const e = Math.exp(-2 * a);
  return (4 * e) / ((1 + e) * (1 + e));
}

function softplusShifted(x: number): number {
  // log(1 + e^x) - log 2 = max(x, 0) + log1p((e^{-|x|} - 1)/2): no overflow, and no
  // cancellation against log 2 near the zero at x = 0 (phi(x) ~ x/2 there).
  return Math.max(x, 0) + Math.log1p(0.5 * Math.expm1(-Math.abs(x)));
}

// relu(NaN) and relu'(NaN) are NaN (Math.max would give NaN too, a comparison would not).
function relu(x: number): number {
  return x > 0 ? x : x === x ? 0 : NaN;
}

// phi'(0) = 0: the subgradient autodiff frameworks use, and the one the arc-cosine kernels assume.
function reluPrime(x: number): number {
  return x > 0 ? 1 : x === x ? 0 : NaN;
}

// sup of GELU' = Phi(x) + x phi(x) is at x = sqrt 2 (GELU'' = phi(x)(2 - x^2)); the infimum,
// at -sqrt 2, is -0.129, smaller in magnitude.
const GELU_LIPSCHITZ = normalCdf(Math.SQRT2) + Math.SQRT2 * normalPdf(Math.SQRT2);

function table(): Record<ActivationName, Activation> {
  return {
    tanh: {
      name: 'tanh', id: ActivationIds.tanh, phi: Math.tanh, dphi: tanhPrime,
      phi0: 0, lipschitz: 1, odd: true, formula: 'tanh(x)', smooth: true, closedForms: null,
    },
    sigmoid: {
      name: 'sigmoid', id: ActivationIds.sigmoid, phi: sigmoid, dphi: sigmoidPrime,
      phi0: 0.5, lipschitz: 0.25, odd: false, formula: '1/(1+e^-x)', smooth: true, closedForms: null,
    },
    erf: {
      name: 'erf', id: ActivationIds.erf, phi: erf,
      dphi: (x) => TWO_OVER_SQRT_PI * expNegSquare(x),
      phi0: 0, lipschitz: TWO_OVER_SQRT_PI, odd: true, formula: 'erf(x)', smooth: true, closedForms: erfForms,
    },
    gelu: {
      name: 'gelu', id: ActivationIds.gelu, phi: gelu, dphi: geluPrime,
      phi0: 0, lipschitz: GELU_LIPSCHITZ, odd: false, formula: 'x*Phi(x) (exact GELU)', smooth: true, closedForms: null,
    },
    softplus: {
      name: 'softplus', id: ActivationIds.softplus, phi: softplusShifted, dphi: sigmoid,
      phi0: 0, lipschitz: 1, odd: false, formula: 'log(1+e^x) - log 2', smooth: true, closedForms: null,
    },
    sin: {
      name: 'sin', id: ActivationIds.sin, phi: Math.sin, dphi: Math.cos,
      phi0: 0, lipschitz: 1, odd: true, formula: 'sin(x)', smooth: true, closedForms: sinForms,
    },
    relu: {
      name: 'relu', id: ActivationIds.relu, phi: relu, dphi: reluPrime,
      phi0: 0, lipschitz: 1, odd: false, formula: 'max(x, 0)', smooth: false, closedForms: reluForms,
    },
  };
}

/** Every built-in activation by name. */
export const activations: Readonly<Record<ActivationName, Activation>> = Object.freeze(table());

/** Names of the built-in activations, in id order. */
export const activationNames: readonly ActivationName[] = Object.freeze(
  (Object.keys(ActivationIds) as ActivationName[]).sort((a, b) => ActivationIds[a] - ActivationIds[b]),
);

/** The fields an {@link Activation} object must have, for messages. */
const ACTIVATION_FIELDS = 'name, id, phi, dphi, phi0, lipschitz, odd, formula, smooth, closedForms';

/**
 * Checks an {@link Activation} passed as an object (not by name), field by field: the library
 * uses it as data (phi and phi' in the theory, phi0/lipschitz/smooth in Theorem 4.1's
 * assumptions, `odd` to skip half the Mehler series, `id` to pick the backends' kernel), so a
 * missing or mistyped field would give wrong numbers or a crash far from the call.
 * A built-in (or a copy of one: the same phi and dphi) passes; `id` may be a built-in's id only
 * on such a copy, since the backends would run that built-in's kernel instead of this phi.
 * @throws NtkInputError naming `activation.<field>` and the fix.
 */
export function checkActivationObject(a: object): Activation {
  if (Object.values(activations).includes(a as Activation)) return a as Activation;
  const o = a as Record<string, unknown>;
  const err = (k: string, problem: string, fix = `an Activation needs ${ACTIVATION_FIELDS}; or pass a name: ${activationNames.join(', ')}`) =>
    new NtkInputError(`activation.${k}`, problem, fix);
  // [field, type check, what it must be]
  const fields: [string, (x: unknown) => boolean, string][] = [
    ['phi', (x) => typeof x === 'function', 'a function (x: number) => number'],
    ['dphi', (x) => typeof x === 'function', 'a function (x: number) => number'],
    ['name', (x) => typeof x === 'string' && x !== '', 'a non-empty string'],
    ['formula', (x) => typeof x === 'string', 'a string'],
    ['odd', (x) => typeof x === 'boolean', 'true or false'],
    ['smooth', (x) => typeof x === 'boolean', 'true or false'],
    ['phi0', Number.isFinite, 'a finite number, phi(0)'],
    ['lipschitz', (x) => Number.isFinite(x) && (x as number) >= 0, 'a finite number >= 0, sup |phi\'|'],
    ['closedForms', (x) => x === null || (typeof x === 'object' && x !== null), 'null or an object with pair and pairDerivative functions'],
    ['id', Number.isInteger, 'an integer'],
  ];
  for (const [k, ok, want] of fields) if (!ok(o[k])) throw err(k, `must be ${want}, got ${describeValue(o[k])}`);
  // A field the library does not read is a typo or a mistaken belief that it is used (as
  // config.json's unknown fields are refused by name).
  for (const k of Object.keys(o)) {
    if (!fields.some(([f]) => f === k)) throw err(k, 'is not a field of an Activation', `remove it; an Activation has ${ACTIVATION_FIELDS}`);
  }
  const cf = o.closedForms as Record<string, unknown> | null;
  for (const k of ['pair', 'pairDerivative', 'hermite']) {
    if (cf && (typeof cf[k] !== 'function' && !(k === 'hermite' && cf[k] === undefined))) {
      throw err(`closedForms.${k}`, `must be a function, got ${describeValue(cf[k])}`, 'give the closed form, or set closedForms: null');
    }
  }
  const phi = o.phi as (x: number) => number, dphi = o.dphi as (x: number) => number;
  const twin = activationNames[o.id as number];
  if (twin !== undefined && (activations[twin].phi !== phi || activations[twin].dphi !== dphi)) {
    throw err('id', `${o.id as number} is the built-in ${twin}'s id, but phi and dphi are not ${twin}'s: the backends would compute ${twin}`,
      `give a custom activation an id outside 0..${activationNames.length - 1} (it works in the theory), or use "${twin}" by name`);
  }
  // phi and phi' must give numbers; phi0 must be phi(0) (Theorem 4.1 reads it); odd must hold
  // (the Mehler series drops phi's even terms).
  const fix = 'pass a function of one number that returns a number';
  for (const [k, f] of [['phi', phi], ['dphi', dphi]] as const) {
    let y: unknown;
    try { y = f(0.5); } catch (e) { throw err(k, `threw at x = 0.5 (${(e as Error)?.message})`, fix); }
    if (!Number.isFinite(y)) throw err(k, `returned ${describeValue(y)} at x = 0.5, not a finite number`, fix);
  }
  const p0 = phi(0), close = (x: number, y: number) => Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y));
  if (!close(o.phi0 as number, p0)) throw err('phi0', `is ${o.phi0 as number} but phi(0) = ${p0}`, 'set phi0 to phi(0)');
  for (const x of o.odd ? [0.37, 1.3, 2.9] : []) {
    if (!close(-phi(-x), phi(x))) throw err('odd', `is true but phi(-${x}) = ${phi(-x)} is not -phi(${x})`, 'set odd: false');
  }
  return a as Activation;
}

/**
 * Looks an activation up by name, or checks an {@link Activation} object field by field
 * ({@link checkActivationObject}).
 * @throws NtkInputError naming `activation` and the valid names when the name is unknown, or
 *   `activation.<field>` when an object's field is missing or wrong.
 */
export function getActivation(a: ActivationName | Activation | string): Activation {
  if (typeof a === 'object' && a !== null) return checkActivationObject(a);
  if (typeof a !== 'string') {
    throw new NtkInputError('activation', a === undefined ? 'is missing' : `must be a name or an Activation, got ${a === null ? 'null' : `a ${typeof a}`}`,
      `use one of ${activationNames.join(', ')}`);
  }
  // Own keys only: "constructor" or "toString" must not find Object.prototype's functions.
  const found = typeof a === 'string' && Object.hasOwn(activations, a) ? (activations as Record<string, Activation>)[a] : undefined;
  if (!found) {
    throw new NtkInputError('activation', `unknown activation ${JSON.stringify(a)}`,
      `use one of ${activationNames.join(', ')}`);
  }
  return found;
}

/**
 * An activation the backends have a kernel for: a built-in, by name or as its object (or a
 * copy of it). The empirical NTK and the networks run phi and phi' in wasm/js kernels chosen by
 * id, so a custom activation cannot run there (it can in the theory).
 * @throws NtkInputError as {@link getActivation}, or naming `activation.id` for a custom one.
 */
export function getKernelActivation(a: ActivationName | Activation | string): Activation {
  const act = getActivation(a);
  if (activationNames[act.id] === undefined) {
    throw new NtkInputError('activation.id', `${describeValue(act.id)} is not a built-in activation's id: a network runs phi and phi' in the backends' kernels, which exist only for ${activationNames.join(', ')}`,
      `use one of those (a custom activation works in the theory: hermiteCoefficients, infiniteWidth, lambda1)`);
  }
  return act;
}
