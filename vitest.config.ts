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
    // The parity suite runs once per compute backend and summation order: TypeScript (the engine's
    // reference, in `unit`), WebAssembly SIMD128 (`parity-wasm`: the reference's blocked float32
    // products, bit for bit), and the relaxed-SIMD build on two threads (`parity-wasm-threads`, Node
    // started with the flag: float32 products as fused running sums where relaxed madd is fused, as
    // on this machine, Electron and Chromium; split over threads with the same bits as one).
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'parity-wasm', include: ['tests/engine/parity/**/*.test.ts'], setupFiles: ['tests/setup/kernels-wasm.ts'] }
      },
      {
        // Relaxed SIMD on two threads: parity must hold for fused products and however they are split.
        extends: true,
        test: {
          name: 'parity-wasm-threads',
          include: ['tests/engine/parity/**/*.test.ts'],
          setupFiles: ['tests/setup/kernels-wasm-threads.ts'],
          execArgv: ['--experimental-wasm-relaxed-simd']
        }
      }
    ],
    // `npm test` (scripts/test-all.mjs) adds a JSON report on its command line and counts from it.
    reporters: ['default']
  }
})
