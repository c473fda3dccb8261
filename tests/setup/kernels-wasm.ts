import { selectKernels } from '../../src-main/engine/kernels/select'

/**
 * Setup file of the `parity-wasm` Vitest project (vitest.config.ts): the parity tests run a second
 * time with the WebAssembly SIMD kernels active. Throws, failing every test of the project, where
 * WebAssembly SIMD is unavailable.
 */
selectKernels('wasm')
