// as-pect setup for the kernel specs in assembly/__tests__/. Specs are compiled with
// as-pect.asconfig.json (SIMD, as the release build) or as-pect.scalar.asconfig.json (the same
// sources without SIMD, as the scalar build); both use as-pect's own runtime and memory
// instead of the library's stub runtime and imported memory, because the test framework
// itself allocates. Kernels get their workspace from assembly/__tests__/setup/.
// as-pect.relaxed.asconfig.json builds the specs with relaxed SIMD (fused multiply-add, as the
// relaxed build), which Node 20 compiles only behind a V8 flag (set here before any compile;
// Node 22+ has it on by default).
if (!WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123,
  3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 135, 2, 11]))) {
  require('node:v8').setFlagsFromString('--experimental-wasm-relaxed-simd');
}
module.exports = {
  entries: ['assembly/__tests__/**/*.spec.ts'],
  include: ['assembly/__tests__/**/*.include.ts'],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
