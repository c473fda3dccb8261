import { selectKernels } from '../../src-main/engine/kernels/select'

/**
 * Setup file of the `parity-wasm` and `parity-wasm-relaxed` Vitest projects (vitest.config.ts): the
 * parity tests run again with the WebAssembly kernels active. The relaxed project starts Node with
 * --experimental-wasm-relaxed-simd and must get the relaxed build; the other gets plain SIMD128.
 * Throws, failing every test of the project, where the expected build cannot run.
 */
const relaxed = process.execArgv.includes('--experimental-wasm-relaxed-simd')
const kernels = selectKernels('wasm', { relaxedSimd: relaxed })
if (!('variant' in kernels) || kernels.variant !== (relaxed ? 'relaxed-simd' : 'simd128')) {
  throw new Error(`expected the ${relaxed ? 'relaxed-SIMD' : 'SIMD128'} build of the WebAssembly kernels, got ${JSON.stringify(kernels)}`)
}
