// as-pect setup for the kernel specs in assembly/__tests__/. Specs are compiled with
// as-pect.asconfig.json (SIMD, as the release build) or as-pect.scalar.asconfig.json (the same
// sources without SIMD, as the scalar build); both use as-pect's own runtime and memory
// instead of the library's stub runtime and imported memory, because the test framework
// itself allocates. Kernels get their workspace from assembly/__tests__/setup/.
module.exports = {
  entries: ['assembly/__tests__/**/*.spec.ts'],
  include: ['assembly/__tests__/**/*.include.ts'],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
