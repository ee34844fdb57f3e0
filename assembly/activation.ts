// One pass writing phi(x) and phi'(x) for the six activations (ids in activation-ids.ts).
// phi or dphi may be 0 to skip it; either may alias x.
import { ACT_ERF, ACT_GELU, ACT_SIGMOID, ACT_SIN, ACT_SOFTPLUS, ACT_TANH } from './activation-ids';
import { erf, erfc } from './special';

const LOG2: f64 = 0.6931471805599453;
const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
const INV_SQRT_2PI: f64 = 0.3989422804014327;
const INV_SQRT2: f64 = 0.7071067811865476;

@inline function sigmoid(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function activation(id: i32, x: usize, phi: usize, dphi: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const v = load<f64>(x + o);
    let f: f64 = 0, d: f64 = 0;
    if (id == ACT_TANH) {
      f = Math.tanh(v); d = 1 - f * f;
    } else if (id == ACT_SIGMOID) {
      f = sigmoid(v); d = f * (1 - f);
    } else if (id == ACT_ERF) {
      f = erf(v); d = TWO_OVER_SQRT_PI * Math.exp(-v * v);
    } else if (id == ACT_GELU) {
      const cdf = 0.5 * erfc(-v * INV_SQRT2);
      f = v * cdf; d = cdf + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
    } else if (id == ACT_SOFTPLUS) {
      f = (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))) - LOG2;
      d = sigmoid(v);
    } else if (id == ACT_SIN) {
      f = Math.sin(v); d = Math.cos(v);
    } else {
      f = NaN; d = NaN;
    }
    if (dphi) store<f64>(dphi + o, d);
    if (phi) store<f64>(phi + o, f);
  }
}
