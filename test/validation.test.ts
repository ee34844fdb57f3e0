/**
 * Every public function answers bad input with a typed error naming the parameter and the fix
 * (never a TypeError, a wasm trap, a hang or a NaN): the cases of test/helpers/error-cases.ts,
 * on the js backend and the wasm backend.
 */
import { describe, expect, it } from 'vitest';
import * as api from './helpers/public-api.js';
import { jsCase, wasmCase } from './helpers/backends.js';
import { apiCases, calledFunction, exemptFunctions } from './helpers/error-cases.js';
import { expectCaseError, runApiCase } from './helpers/run-case.js';

describe.each([jsCase, wasmCase])('bad inputs to the public API on $name', ({ name, get }) => {
  for (const c of apiCases) {
    if (c.wasmOnly && name === 'js') continue;
    it(`${c.code} -> ${c.cls ?? 'NtkInputError'} (${c.parameter})`, async () => {
      const be = await get();
      const before = be.memoryBytes();
      expectCaseError(c, await runApiCase(c, be));
      // Refused before allocating: wasm memory did not grow for it.
      if (c.cls === 'NtkMemoryError') expect(be.memoryBytes()).toBe(before);
    });
  }
});

describe('the table covers the API', () => {
  it('every exported function has a bad-input case or a stated reason not to', () => {
    const called = new Set(apiCases.map((c) => calledFunction(c.code)));
    const missing = Object.entries(api)
      .filter(([k, v]) => typeof v === 'function' && !called.has(k) && !(k in exemptFunctions))
      .map(([k]) => k);
    expect(missing).toEqual([]);
    // And the exemptions name real exports.
    for (const k of Object.keys(exemptFunctions)) expect(typeof (api as Record<string, unknown>)[k], k).toBe('function');
  });
  it('every documented kind of error is illustrated once', () => {
    const kinds = apiCases.filter((c) => c.kind).map((c) => c.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.length).toBeGreaterThan(15);
  });
});

describe('exempt functions answer as their Math twins', () => {
  it('detLog: -Infinity at 0, Infinity at Infinity, NaN below 0 (no endless recursion)', () => {
    expect(api.detLog(0)).toBe(-Infinity);
    expect(api.detLog(Infinity)).toBe(Infinity);
    expect(api.detLog(-1)).toBeNaN();
    expect(api.detLog(Number.MIN_VALUE)).toBeCloseTo(Math.log(Number.MIN_VALUE), 10);
  });
  it('erf family: NaN in, NaN out; limits at infinity', () => {
    expect(api.erf(NaN)).toBeNaN();
    expect(api.erf(Infinity)).toBe(1);
    expect(api.erfc(-Infinity)).toBe(2);
    expect(api.normalCdf(-Infinity)).toBe(0);
    expect(api.normalPdf(Infinity)).toBe(0);
  });
});
