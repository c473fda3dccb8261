/**
 * Web mode: the engine host runs in a module Web Worker built from the same sources as the
 * utility process. A worker error counts as a crash: the worker is terminated and a new one
 * started, with the same patience as main's supervisor has for the utility process.
 */
import type { EngineLink, LinkSink } from './connection'

/** Crashes tolerated within `CRASH_WINDOW_MS`; one more and the engine stays down. */
const MAX_RESTARTS = 3
const CRASH_WINDOW_MS = 60_000

export class WorkerLink implements EngineLink {
  #worker: Worker | null = null
  #crashes: number[] = []

  connect(sink: LinkSink): void {
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'optim-lab-engine' })
    this.#worker = worker
    const crashed = (reason: string): void => {
      if (this.#worker !== worker) return
      worker.terminate()
      this.#worker = null
      const now = Date.now()
      this.#crashes = [...this.#crashes.filter((at) => now - at < CRASH_WINDOW_MS), now]
      const restarting = this.#crashes.length <= MAX_RESTARTS
      sink.crashed(reason, restarting)
      if (restarting) this.connect(sink)
    }
    worker.addEventListener('message', (event: MessageEvent) => {
      if (this.#worker === worker) sink.message(event.data)
    })
    worker.addEventListener('error', (event: ErrorEvent) => {
      // Handled: the page reports the crash itself and starts a new worker.
      event.preventDefault()
      crashed(event.message || 'the engine worker failed')
    })
    worker.addEventListener('messageerror', () => crashed('a message from the engine could not be read'))
    sink.ready()
  }

  send(command: Parameters<EngineLink['send']>[0]): void {
    this.#worker?.postMessage(command)
  }

  close(): void {
    this.#worker?.terminate()
    this.#worker = null
  }
}
