/**
 * Pure TypeScript activation kernel, the twin of assembly/activation.ts: one pass writing
 * phi and phi'. It calls the same scalar functions the rest of the library uses
 * (src/activations.ts), so the js backend is the reference for the wasm one.
 * @module
 */
import { activationNames, activations, type ActivationId } from '../../activations.js';

/** Writes phi(x) and phi'(x); see {@link ElementwiseKernels.activation}. */
export function activation(id: ActivationId, x: Float64Array, phi: Float64Array | null, dphi: Float64Array | null): void {
  const act = activations[activationNames[id]!];
  const f = act.phi, df = act.dphi;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    // dphi first: phi may alias x.
    if (dphi) dphi[i] = df(xi);
    if (phi) phi[i] = f(xi);
  }
}
