/**
 * The renderer's one view of the engine: typed requests answered by id, plus the unsolicited
 * progress/runState events and the engine's lifecycle. Web (Worker) and Electron (MessagePort to
 * the utility process) are two small `EngineLink`s; `PortConnection` does the rest: request ids,
 * queueing until an engine is reachable, failing pending requests when it crashes.
 */
import type {
  EngineCommand,
  EngineCommandType,
  EngineEvent,
  EngineLifecycleEvent,
  EngineRequest,
  EngineResults,
  SerializedError
} from '../../../src-main/shared/protocol'

export type ProgressEvent = Extract<EngineEvent, { type: 'progress' }>
export type RunStateEvent = Extract<EngineEvent, { type: 'runState' }>
export type RungsStateEvent = Extract<EngineEvent, { type: 'rungsState' }>
export type RequestOf<T extends EngineCommandType> = Extract<EngineRequest, { type: T }>

export interface EngineConnection {
  request<T extends EngineCommandType>(command: RequestOf<T>): Promise<EngineResults[T]>
  onProgress(listener: (event: ProgressEvent) => void): () => void
  onRunState(listener: (event: RunStateEvent) => void): () => void
  onRungsState(listener: (event: RungsStateEvent) => void): () => void
  onLifecycle(listener: (event: EngineLifecycleEvent) => void): () => void
  dispose(): void
}

/**
 * How messages reach an engine host: a Worker in web mode, a MessagePort to the utility process in
 * Electron. A link may replace the engine behind it (after a crash) and reports that through
 * `LinkSink`; restart policy belongs to the link (main's supervisor in Electron).
 */
export interface EngineLink {
  connect(sink: LinkSink): void
  /** Only called between `ready()` and the next `crashed()`. */
  send(command: EngineCommand): void
  close(): void
}

export interface LinkSink {
  message(data: unknown): void
  /** A (new) engine host is reachable. */
  ready(): void
  /** The engine died; `restarting` says whether a new one will follow with another `ready()`. */
  crashed(reason: string, restarting: boolean): void
}

/** An error the engine replied with, e.g. PyTorch's "Invalid learning rate: -1". */
export class EngineError extends Error {
  constructor(error: SerializedError) {
    super(error.message)
    this.name = error.name
  }
}

interface Events {
  progress: ProgressEvent
  runState: RunStateEvent
  rungsState: RungsStateEvent
  lifecycle: EngineLifecycleEvent
}

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

/** Calls `callback` once, when the page should next take the progress held. */
export type FrameScheduler = (callback: () => void) => void

/**
 * Least time between two deliveries of progress. Each delivery costs the page an update and a
 * frame of its own (status line, console, layout, paint: ≈ 4 ms of the main thread on our 2-core
 * VMs, twice or three times that in wall time while the engine's worker holds the other core); at
 * one per animation frame, the worker's 50 ms batches made ≈ 18 of them a second. Ten a second is
 * as live for a reader, and the loss chart redraws at that rate too.
 */
export const PROGRESS_DELIVERY_MS = 90

/**
 * A task of its own PROGRESS_DELIVERY_MS from now, not an animation-frame callback: the state
 * update (Svelte's effects, the DOM's new text) then runs before the frame that lays it out and
 * paints it, two shorter tasks instead of one long one. Null outside a page (Node, tests): no batching.
 */
function defaultFrameScheduler(): FrameScheduler | null {
  if (typeof requestAnimationFrame !== 'function') return null
  return (callback) => void setTimeout(callback, PROGRESS_DELIVERY_MS)
}

/** Consecutive progress events of one run joined into one (the host sends them contiguous). */
function coalesce(events: ProgressEvent[]): ProgressEvent[] {
  const out: ProgressEvent[] = []
  for (const event of events) {
    const last = out.at(-1)
    const joins =
      last !== undefined &&
      last.runId === event.runId &&
      last.fromStep + last.losses.length === event.fromStep &&
      (last.lrs?.length ?? -1) === (event.lrs?.length ?? -1)
    if (!joins) {
      out.push({ ...event })
      continue
    }
    last.losses = joined(last.losses, event.losses)
    if (last.lrs && event.lrs) last.lrs = last.lrs.map((values, g) => joined(values, event.lrs![g]))
  }
  return out
}

function joined(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

export class PortConnection implements EngineConnection {
  #nextId = 1
  #pending = new Map<number, Pending>()
  #up = false
  /** Commands sent while no engine is reachable; flushed on `ready()`. */
  #queue: EngineCommand[] = []
  #closed = false
  #listeners: { [K in keyof Events]: Set<(event: Events[K]) => void> } = {
    progress: new Set(),
    runState: new Set(),
    rungsState: new Set(),
    lifecycle: new Set()
  }
  /**
   * Progress is applied at most once per scheduler callback (by default every
   * PROGRESS_DELIVERY_MS): the first event after a quiet spell at once (the first loss point shows
   * without waiting), later ones held and delivered together at the next callback, so a stream of
   * messages costs one state update and one layout per callback instead of one each. Any other
   * event delivers the held ones first.
   */
  #held: ProgressEvent[] = []
  #frameArmed = false
  #deliveredThisFrame = false
  readonly #frame: FrameScheduler | null

  constructor(
    private readonly link: EngineLink,
    options: { frame?: FrameScheduler | null } = {}
  ) {
    this.#frame = options.frame === undefined ? defaultFrameScheduler() : options.frame
    link.connect({
      message: (data) => this.#receive(data),
      ready: () => this.#ready(),
      crashed: (reason, restarting) => this.#crashed(reason, restarting)
    })
  }

  request<T extends EngineCommandType>(command: RequestOf<T>): Promise<EngineResults[T]> {
    if (this.#closed) return Promise.reject(new Error('The engine connection was closed.'))
    const id = this.#nextId++
    return new Promise<EngineResults[T]>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      const message = { ...command, id } as EngineCommand
      if (this.#up) this.link.send(message)
      else this.#queue.push(message)
    })
  }

  onProgress(listener: (event: ProgressEvent) => void): () => void {
    return subscribe(this.#listeners.progress, listener)
  }

  onRunState(listener: (event: RunStateEvent) => void): () => void {
    return subscribe(this.#listeners.runState, listener)
  }

  onRungsState(listener: (event: RungsStateEvent) => void): () => void {
    return subscribe(this.#listeners.rungsState, listener)
  }

  onLifecycle(listener: (event: EngineLifecycleEvent) => void): () => void {
    return subscribe(this.#listeners.lifecycle, listener)
  }

  dispose(): void {
    this.#held = []
    this.#closed = true
    this.#up = false
    this.link.close()
    this.#rejectAll('The engine connection was closed.')
  }

  #ready(): void {
    if (this.#closed) return
    this.#up = true
    for (const message of this.#queue.splice(0)) this.link.send(message)
    // Ready means answering: the first reply proves the host loop runs.
    this.request({ type: 'ping' }).then(
      () => this.#emit('lifecycle', { type: 'engineReady' }),
      () => undefined
    )
  }

  #crashed(reason: string, restarting: boolean): void {
    if (this.#closed) return
    this.#deliverHeld()
    this.#up = false
    this.#queue = []
    this.#rejectAll(`The engine stopped: ${reason}`)
    this.#emit('lifecycle', { type: 'engineCrashed', reason, restarting })
  }

  #receive(data: unknown): void {
    if (typeof data !== 'object' || data === null || !('type' in data)) return
    const event = data as EngineEvent
    if (event.type === 'progress') return this.#progress(event)
    // Replies and state changes come after the losses sent before them.
    this.#deliverHeld()
    switch (event.type) {
      case 'reply': {
        const pending = this.#pending.get(event.id)
        if (!pending) return
        this.#pending.delete(event.id)
        if (event.ok) pending.resolve(event.result)
        else pending.reject(new EngineError(event.error))
        return
      }
      case 'runState':
        return this.#emit('runState', event)
      case 'rungsState':
        return this.#emit('rungsState', event)
      case 'hostError':
        // A message the host could not attribute to a request: a bug on our side, worth a trace.
        console.warn(`engine host: ${event.error.message}`)
    }
  }

  #progress(event: ProgressEvent): void {
    if (!this.#frame) return this.#emit('progress', event)
    if (!this.#deliveredThisFrame && this.#held.length === 0) {
      this.#deliveredThisFrame = true
      this.#armFrame()
      return this.#emit('progress', event)
    }
    this.#held.push(event)
    this.#armFrame()
  }

  #armFrame(): void {
    if (this.#frameArmed || !this.#frame) return
    this.#frameArmed = true
    this.#frame(() => {
      this.#frameArmed = false
      const delivered = this.#held.length > 0
      this.#deliverHeld()
      // Something was delivered in this frame: the next event waits for the next one.
      this.#deliveredThisFrame = delivered
      if (delivered) this.#armFrame()
    })
  }

  #deliverHeld(): void {
    if (this.#held.length === 0) return
    const held = this.#held
    this.#held = []
    for (const event of coalesce(held)) this.#emit('progress', event)
  }

  #emit<K extends keyof Events>(kind: K, event: Events[K]): void {
    for (const listener of this.#listeners[kind] as Set<(event: Events[K]) => void>) listener(event)
  }

  #rejectAll(reason: string): void {
    for (const pending of this.#pending.values()) pending.reject(new Error(reason))
    this.#pending.clear()
  }
}

function subscribe<T>(set: Set<T>, listener: T): () => void {
  set.add(listener)
  return () => set.delete(listener)
}
