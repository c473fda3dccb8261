import { selectKernels } from '../../src-main/engine/kernels/select'
import type { WasmKernels } from '../../src-main/engine/kernels/wasm-kernels'
import { spawnNodeKernelThread } from '../../src-main/host/node-kernel-thread'

/**
 * Setup file of the `parity-wasm-threads` Vitest project (vitest.config.ts): the parity tests run
 * again with the WebAssembly kernels on two threads (a Node worker helper on shared memory), every
 * big product and update split, however busy the machine. Throws, failing every test of the
 * project, where the helper cannot start.
 */
const kernels = selectKernels('wasm', { threads: spawnNodeKernelThread }) as WasmKernels
kernels.adaptiveThreads = false
if (kernels.threads !== 2 || !kernels.waitForHelper(10_000)) {
  throw new Error(`expected the WebAssembly kernels with a helper thread, got ${kernels.name} on ${kernels.threads} thread(s)`)
}
