// Run by test/tiering.test.ts in a fresh node process: `node tiering-probe.mjs backend|plain`.
// Compiles a wasm build from dist/, calls its exports that take no arguments once each, and
// reports which tier V8 compiled them in (V8 compiles a wasm function on its first call).
// `backend` first creates the wasm backend (which sets --no-wasm-dynamic-tiering); `plain`
// compiles with V8's defaults. The build probed is the scalar one, which the backend did not
// compile itself: V8 shares compiled code between compiles of the same bytes.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--allow-natives-syntax');
const dist = new URL('../../dist/', import.meta.url);
if (process.argv[2] === 'backend') {
  const { createWasmBackend } = await import(new URL('backend/wasm/index.js', dist).href);
  await (await createWasmBackend({ threads: 1 })).dispose();
}
const { readFileSync } = await import('node:fs');
const module = await WebAssembly.compile(readFileSync(new URL('backend/wasm/generated/ntk-scalar.wasm', dist)));
const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
const { exports } = await WebAssembly.instantiate(module, { env: { memory, abort() { throw new Error('abort'); } } });
// Natives syntax is parsed when the function is created, after the flag above.
const isTurboFan = new Function('f', 'return %IsTurboFanFunction(f)');
const isLiftoff = new Function('f', 'return %IsLiftoffFunction(f)');
const called = ['workspaceSize', 'heapBase'];
for (const name of called) exports[name]();
process.stdout.write(JSON.stringify({
  node: process.version,
  called: called.length,
  turbofan: called.filter((n) => isTurboFan(exports[n])).length,
  liftoff: called.filter((n) => isLiftoff(exports[n])).length,
}) + '\n');
