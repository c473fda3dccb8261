/**
 * Web mode: the engine host runs in a module Web Worker built from the same sources as the
 * utility process. A worker error, or the worker going away (its lifeline lock released), counts as
 * a crash: a new one is started, with the same patience as main's supervisor has for the utility
 * process.
 */
import type { EngineLink, LinkSink } from './connection'
import { LIFELINE_HELD, LIFELINE_MESSAGE, watchLifeline } from './lifeline'

/** Crashes tolerated within `CRASH_WINDOW_MS`; one more and the engine stays down. */
const MAX_RESTARTS = 3
const CRASH_WINDOW_MS = 60_000

export class WorkerLink implements EngineLink {
  #worker: Worker | null = null
  #stopWatching: () => void = () => undefined
  #crashes: number[] = []
  #workers = 0
  readonly #page = Math.random().toString(36).slice(2)

  connect(sink: LinkSink): void {
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'optim-lab-engine' })
    this.#worker = worker
    const lifeline = `optim-lab-engine-${this.#page}-${++this.#workers}`
    const crashed = (reason: string): void => {
      if (this.#worker !== worker) return
      worker.terminate()
      this.#stopWatching()
      this.#worker = null
      const now = Date.now()
      this.#crashes = [...this.#crashes.filter((at) => now - at < CRASH_WINDOW_MS), now]
      const restarting = this.#crashes.length <= MAX_RESTARTS
      sink.crashed(reason, restarting)
      if (restarting) this.connect(sink)
    }
    worker.addEventListener('message', (event: MessageEvent) => {
      if (this.#worker !== worker) return
      if (event.data === LIFELINE_HELD) this.#stopWatching = watchLifeline(lifeline, () => crashed('the engine worker was terminated'))
      else sink.message(event.data)
    })
    worker.addEventListener('error', (event: ErrorEvent) => {
      // Handled: the page reports the crash itself and starts a new worker.
      event.preventDefault()
      crashed(event.message || 'the engine worker failed')
    })
    worker.addEventListener('messageerror', () => crashed('a message from the engine could not be read'))
    worker.postMessage({ type: LIFELINE_MESSAGE, name: lifeline })
    sink.ready()
  }

  send(command: Parameters<EngineLink['send']>[0]): void {
    this.#worker?.postMessage(command)
  }

  close(): void {
    const worker = this.#worker
    this.#worker = null // first, so the lifeline's release is not taken for a crash
    this.#stopWatching()
    worker?.terminate()
  }
}
