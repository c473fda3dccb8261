import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Builds the WebAssembly kernels' generated module if src-wasm/ changed since `npm install`.
    globalSetup: ['tests/setup/build-wasm.ts'],
    // Parity tests train the lesson's network for hundreds of steps in plain TypeScript.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Separate processes: engine tests allocate large typed arrays, and a crash stays contained.
    pool: 'forks',
    // The parity suite runs once per compute backend: TypeScript (the engine's default, in `unit`)
    // and WebAssembly SIMD (`parity-wasm`, whose setup file selects it before each test file).
    projects: [
      { extends: true, test: { name: 'unit' } },
      {
        extends: true,
        test: { name: 'parity-wasm', include: ['tests/engine/parity/**/*.test.ts'], setupFiles: ['tests/setup/kernels-wasm.ts'] }
      }
    ],
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest-results.json' }]] : ['default']
  }
})
