import { Worker } from 'node:worker_threads'
import { serveKernelThread, type SpawnKernelThread } from '../engine/kernels/kernel-threads'

/**
 * The helper's nice value on Linux. The helper only speeds the caller up: the caller claims any
 * chunk the helper has not, so when the machine has fewer free cores than runnable threads the
 * scheduler should take the core from the helper rather than from the caller. On our 2-vCPU VMs
 * the caller, the spinning helper and V8's compiler and garbage-collector threads are three, and
 * the caller lost its core in most of a cold two-thread run's slow steps. Cold `lab --threads 2`,
 * three sets of 12–14 rounds alternating with PyTorch: per-round ratio 0.682, 0.678, 0.701 at nice 0
 * against 0.635, 0.641, 0.683 at nice 10 (docs/performance.md). It also leaves a student's other
 * programs their share.
 */
export const HELPER_NICE = 10

/**
 * Run first in the worker: lowers this thread's own priority to HELPER_NICE (never raises it, should
 * the process already run at a higher nice value). Linux's setpriority(2) takes a thread id and
 * changes that one thread, and /proc/thread-self names the calling thread. Elsewhere an id would name
 * a process, so nothing is done; a refusal changes nothing either.
 */
const LOWER_OWN_PRIORITY = `if (process.platform === 'linux') {
  try {
    const os = require('node:os')
    const self = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop())
    os.setPriority(self, Math.max(os.getPriority(self), ${HELPER_NICE}))
  } catch {}
}`

/**
 * Starts the kernels' helper thread as a Node worker (the `lab` command, `npm run bench`, Electron's
 * utility process). The worker runs `serveKernelThread`'s own source text, so it needs no file of
 * its own in any of the bundles (tsx, esbuild, electron-vite), and it is unref'd: a process whose
 * work is done exits without waiting for its sleeping helper.
 */
export const spawnNodeKernelThread: SpawnKernelThread = (init) => {
  const source = `${LOWER_OWN_PRIORITY}\nrequire('node:worker_threads').parentPort.once('message', (init) => (${serveKernelThread.toString()})(init))`
  const worker = new Worker(source, { eval: true })
  worker.postMessage(init)
  worker.unref()
  // A helper that fails never reports READY (or stops answering): the caller computes alone.
  worker.on('error', () => undefined)
  return { terminate: () => void worker.terminate() }
}
