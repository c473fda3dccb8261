import { selectKernels } from '../../src-main/engine/kernels/select'
import type { WasmKernels } from '../../src-main/engine/kernels/wasm-kernels'
import { spawnNodeKernelThread } from '../../src-main/host/node-kernel-thread'

/**
 * Setup file of the `parity-wasm-threads` Vitest project (vitest.config.ts, which starts Node with
 * --experimental-wasm-relaxed-simd): the parity tests run again with the relaxed-SIMD build of the
 * WebAssembly kernels on two threads (a Node worker helper on shared memory), every big product and
 * update split, however busy the machine. Where relaxed madd is fused (this machine, any x86-64 with
 * FMA) float32 products are fused running sums, the other summation order the engine ships. Throws,
 * failing every test of the project, where the relaxed build or the helper cannot start.
 */
const kernels = selectKernels('wasm', { threads: spawnNodeKernelThread }) as WasmKernels
kernels.adaptiveThreads = false
if (kernels.variant !== 'relaxed-simd' || kernels.threads !== 2 || !kernels.waitForHelper(10_000)) {
  throw new Error(`expected the relaxed-SIMD WebAssembly kernels with a helper thread, got ${kernels.name} ${kernels.variant} on ${kernels.threads} thread(s)`)
}
