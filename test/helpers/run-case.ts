/** Running the API cases of error-cases.ts (shared by the validation tests and the errors doc). */
import { expect } from 'vitest';
import * as api from './public-api.js';
import { NtkInputError, NtkMemoryError } from '../../src/errors.js';
import type { Backend } from '../../src/backend/types.js';
import type { ApiCase } from './error-cases.js';

/** Runs a case's code with the library's exports (and the fixtures it names) in scope; returns what it threw. */
export async function runApiCase(c: ApiCase, backend: Backend): Promise<unknown> {
  const X = api.gaussianData({ n: 4, d: 3, seed: 1 });
  const net = api.createNetwork({ d: 3, widths: [5, 5], activation: 'tanh', seed: 2 });
  const K = api.toMatrix([[2, 1], [1, 2]]);
  const scope: Record<string, unknown> = { ...api, backend, X, net, K };
  const names = Object.keys(scope);
  const fn = new Function(...names, `return (async () => (${c.code}))();`) as (...a: unknown[]) => Promise<unknown>;
  try {
    const v = await fn(...names.map((k) => scope[k]));
    return { returned: v };
  } catch (e) {
    return e;
  }
}

/** Checks a thrown value against a case; returns the error. */
export function expectCaseError(c: ApiCase, thrown: unknown): NtkInputError | NtkMemoryError {
  const cls = c.cls === 'NtkMemoryError' ? NtkMemoryError : NtkInputError;
  expect(thrown, `${c.code} should throw ${cls.name}`).toBeInstanceOf(cls);
  const e = thrown as NtkInputError | NtkMemoryError;
  expect(e.parameter).toBe(c.parameter);
  // One line: "<parameter>: <problem>; <fix>".
  expect(e.message.startsWith(`${c.parameter}: `), e.message).toBe(true);
  expect(e.message).toContain('; ');
  expect(e.message).not.toContain('\n');
  if (c.message) expect(e.message).toMatch(c.message);
  return e;
}

