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
    // The parity suite runs once per compute backend: TypeScript (the engine's default, in `unit`),
    // WebAssembly SIMD128 (`parity-wasm`: what Node 20 runs) and WebAssembly relaxed SIMD
    // (`parity-wasm-relaxed`: what Electron and Chromium run; Node 20 needs a flag for it). Their
    // setup file selects the backend before each test file.
    projects: [
      { extends: true, test: { name: 'unit' } },
      {
        extends: true,
        test: { name: 'parity-wasm', include: ['tests/engine/parity/**/*.test.ts'], setupFiles: ['tests/setup/kernels-wasm.ts'] }
      },
      {
        extends: true,
        test: {
          name: 'parity-wasm-relaxed',
          include: ['tests/engine/parity/**/*.test.ts'],
          setupFiles: ['tests/setup/kernels-wasm.ts'],
          execArgv: ['--experimental-wasm-relaxed-simd']
        }
      }
    ],
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest-results.json' }]] : ['default']
  }
})
