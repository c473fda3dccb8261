import { selectKernels } from '../../src-main/engine/kernels/select'

/**
 * Setup file of the `parity-wasm` Vitest project (vitest.config.ts): the parity tests run again with
 * the WebAssembly kernels active, the plain SIMD128 build (or the relaxed one, if Node was started
 * with --experimental-wasm-relaxed-simd). Throws, failing every test of the project, where the
 * expected build cannot run.
 */
const relaxed = process.execArgv.includes('--experimental-wasm-relaxed-simd')
const kernels = selectKernels('wasm', { relaxedSimd: relaxed })
if (!('variant' in kernels) || kernels.variant !== (relaxed ? 'relaxed-simd' : 'simd128')) {
  throw new Error(`expected the ${relaxed ? 'relaxed-SIMD' : 'SIMD128'} build of the WebAssembly kernels, got ${JSON.stringify(kernels)}`)
}
