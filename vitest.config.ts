import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    // Builds the WebAssembly kernels' generated module if src-wasm/ changed since `npm install`.
    globalSetup: ['tests/setup/build-wasm.ts'],
    // Parity tests train the lesson's network for hundreds of steps in plain TypeScript.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Separate processes: engine tests allocate large typed arrays, and a crash stays contained.
    pool: 'forks',
    // Vitest leaves one core to itself by default; on our 2-core machines that ran the files one at
    // a time (the parity files take minutes each), so use both.
    maxWorkers: 2,
    // The parity suite runs once per compute backend: TypeScript (the engine's reference, in
    // `unit`), WebAssembly SIMD128 (`parity-wasm`, selected by its setup file) and WebAssembly on
    // two threads (`parity-wasm-threads`). The relaxed-SIMD build differs only in Adam's fused
    // multiply-add, which tests/engine/kernels checks bit for bit.
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'parity-wasm', include: ['tests/engine/parity/**/*.test.ts'], setupFiles: ['tests/setup/kernels-wasm.ts'] }
      },
      {
        // The same on two threads: parity must not depend on how products are split.
        extends: true,
        test: { name: 'parity-wasm-threads', include: ['tests/engine/parity/**/*.test.ts'], setupFiles: ['tests/setup/kernels-wasm-threads.ts'] }
      }
    ],
    // `npm test` (scripts/test-all.mjs) adds a JSON report on its command line and counts from it.
    reporters: ['default']
  }
})
