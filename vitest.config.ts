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
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest-results.json' }]] : ['default']
  }
})
