import { Worker } from 'node:worker_threads'
import { serveKernelThread, type SpawnKernelThread } from '../engine/kernels/kernel-threads'

/**
 * Starts the kernels' helper thread as a Node worker (the `lab` command, `npm run bench`, Electron's
 * utility process). The worker runs `serveKernelThread`'s own source text, so it needs no file of
 * its own in any of the bundles (tsx, esbuild, electron-vite), and it is unref'd: a process whose
 * work is done exits without waiting for its sleeping helper.
 */
export const spawnNodeKernelThread: SpawnKernelThread = (init) => {
  const source = `require('node:worker_threads').parentPort.once('message', (init) => (${serveKernelThread.toString()})(init))`
  const worker = new Worker(source, { eval: true })
  worker.postMessage(init)
  worker.unref()
  // A helper that fails never reports READY (or stops answering): the caller computes alone.
  worker.on('error', () => undefined)
  return { terminate: () => void worker.terminate() }
}
