// Generalized Hermite coefficients (Definition 4.1) of an activation you write yourself, and the
// paper's quantities that need only phi: c_{phi,sigma0}, nu0^2, lambda_1 and the assumptions
// it breaks. Here phi(x) = x / sqrt(1 + x^2) (smooth, odd, 1-Lipschitz, phi(0) = 0).
//
//   npm run build && node examples/hermite-custom.mjs [a] [rmax]
//
// Any JS function finite on the real line works (the expectations use a trapezoid rule on
// [-12 sqrt(a), 12 sqrt(a)]); the empirical and infinite-width NTK also need phi', so they take
// the built-in activations only.
import { assumptionsBroken, cPhi, gaussianData, hermiteCoefficients, hermiteSeries, lambda1, nu0sq } from 'ntk-wasm';

const phi = (x) => x / Math.sqrt(1 + x * x);
const a = Number(process.argv[2] ?? 2.5); // the variance of N(0, a)
const rmax = Number(process.argv[3] ?? 12);

// 'expand' (default): mu_r with phi = sum_r mu_r H_r^[a] in L2(N(0, a)) (eq. 7);
// h.orthonormal holds b_r = a^{-r/2} mu_r, with E[phi^2] = sum_r b_r^2 (Parseval).
const h = hermiteCoefficients(phi, a, { rmax });
console.log(`phi(x) = x / sqrt(1 + x^2) under N(0, ${a}), r = 0..${rmax}`);
console.log(' r   mu_r (expand)        b_r (orthonormal)');
for (let r = 0; r <= rmax; r++) {
  console.log(`${String(r).padStart(2)}   ${h.coefficients[r].toExponential(12).padStart(19)}  ${h.orthonormal[r].toExponential(12).padStart(19)}`);
}
console.log(`E[phi^2] = ${h.ePhi2}, Parseval residual (the tail beyond r = ${rmax}) = ${h.parsevalResidual.toExponential(2)}`);

// The truncated series against phi itself at a few points.
for (const x of [0.5, 1, 2]) {
  console.log(`series at x = ${x}: ${hermiteSeries(h.coefficients, a, x).toFixed(6)}  phi(x) = ${phi(x).toFixed(6)}`);
}

// The initialization of Theorem 4.2 and lambda_1 of Theorem 4.1 on some data.
const c = cPhi(phi, 1), nu2 = nu0sq(phi, 1);
const X = gaussianData({ n: 50, d: 20, seed: 0 });
console.log(`sigma0 = 1: c_phi = ${c}, nu0^2 = ${nu2}; lambda_1 (n = 50, d = 20) = ${lambda1(X, phi, nu2)}`);
const broken = assumptionsBroken(phi);
console.log(`assumptions broken: ${broken.length ? broken.join('; ') : 'none'}`);
