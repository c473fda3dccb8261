/**
 * The test side of the engine protocol: sends commands with fresh ids, resolves replies by id, and
 * records every unsolicited event so tests can assert on the whole stream.
 */
import type { LabConfig } from '../../src-main/shared/config'
import type {
  EngineCommandType,
  EngineEvent,
  EngineRequest,
  EngineResults,
  RunStatus,
  SerializedError
} from '../../src-main/shared/protocol'

export type ProgressEvent = Extract<EngineEvent, { type: 'progress' }>
export type RunStateEvent = Extract<EngineEvent, { type: 'runState' }>

export class ReplyError extends Error {
  constructor(readonly error: SerializedError) {
    super(`${error.name}: ${error.message}`)
  }
}

/** A net small enough that hundreds of steps take milliseconds. */
export function smallConfig(overrides: Partial<LabConfig> = {}): LabConfig {
  return {
    seed: 0,
    n: 8,
    dIn: 5,
    hidden: [6],
    dOut: 3,
    activation: 'relu',
    reduction: 'sum',
    dtype: 'float32',
    optimizer: 'Adam',
    hyper: { lr: 1e-2 },
    steps: 50,
    ...overrides
  }
}

interface Waiter {
  predicate: (event: EngineEvent) => boolean
  resolve: (event: EngineEvent) => void
  reject: (error: Error) => void
  timer: ReturnType<typeof setTimeout>
}

export class EngineClient {
  readonly events: EngineEvent[] = []
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  private waiters: Waiter[] = []

  constructor(private readonly sendRaw: (message: unknown) => void) {}

  /** Feed every message the host sends. */
  receive(event: EngineEvent): void {
    if (event.type === 'reply') {
      const entry = this.pending.get(event.id)
      if (entry) {
        this.pending.delete(event.id)
        if (event.ok) entry.resolve(event.result)
        else entry.reject(new ReplyError(event.error))
      }
    }
    this.events.push(event)
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(event)) return true
      clearTimeout(waiter.timer)
      waiter.resolve(event)
      return false
    })
  }

  send(message: unknown): void {
    this.sendRaw(message)
  }

  request<T extends EngineCommandType>(command: Extract<EngineRequest, { type: T }>): Promise<EngineResults[T]> {
    const id = this.nextId++
    return new Promise<EngineResults[T]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.sendRaw({ ...command, id })
    })
  }

  /** The next event (from now on) matching `predicate`. */
  waitFor<E extends EngineEvent = EngineEvent>(
    predicate: (event: EngineEvent) => boolean,
    timeoutMs = 20_000,
    what = 'event'
  ): Promise<E> {
    return new Promise<E>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer)
        reject(new Error(`Timed out waiting for ${what}`))
      }, timeoutMs)
      this.waiters.push({ predicate, resolve: resolve as (event: EngineEvent) => void, reject, timer })
    })
  }

  /** The run's state event with `status`, already received or still to come. */
  waitForState(runId: string, status: RunStatus, timeoutMs?: number): Promise<RunStateEvent> {
    const seen = this.states(runId).find((e) => e.status === status)
    if (seen) return Promise.resolve(seen)
    return this.waitFor<RunStateEvent>(
      (e) => e.type === 'runState' && e.runId === runId && e.status === status,
      timeoutMs,
      `run ${runId} to become ${status}`
    )
  }

  progress(runId: string): ProgressEvent[] {
    return this.events.filter((e): e is ProgressEvent => e.type === 'progress' && e.runId === runId)
  }

  states(runId: string): RunStateEvent[] {
    return this.events.filter((e): e is RunStateEvent => e.type === 'runState' && e.runId === runId)
  }

  /** Every loss received for `runId`, checking that batches are contiguous from step 0. */
  losses(runId: string): number[] {
    const all: number[] = []
    for (const batch of this.progress(runId)) {
      if (batch.fromStep !== all.length) {
        throw new Error(`progress for ${runId} jumps from step ${all.length} to ${batch.fromStep}`)
      }
      all.push(...batch.losses)
    }
    return all
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
