/**
 * The engine host: answers `EngineCommand`s arriving on a port and trains runs in time slices.
 * Transport-agnostic and pure TypeScript, so the Electron utility process, the Node IPC fallback
 * (fork test) and the renderer's Web Worker (web mode) all run this same loop.
 *
 * Scheduling: runs step round-robin for about `sliceMs`, then the loop yields a macrotask so
 * commands waiting on the port (pause, stop, step, inspect) are handled promptly. Every step's loss
 * is sent: the first point of a run at once, later ones batched at most every `progressIntervalMs`,
 * and whatever is pending before any status change.
 */
import type { LabConfig } from '../shared/config'
import type {
  EngineCommand,
  EngineEvent,
  EngineResults,
  EngineCommandType,
  SerializedError,
  StateView
} from '../shared/protocol'
import { kernels } from '../engine/kernels/kernels'
import { APP_NAME } from '../engine/train/session'
import { readWeightsFile } from '../shared/weights-import'
import { parseCommand } from './commands'
import { Run } from './run'
import { RungsJob } from './rungs'
import { createYielder } from './yield-to-events'

export interface PortLike {
  /** `transfer`: buffers of typed arrays in the message that the transport may move instead of copying. */
  postMessage(message: EngineEvent, transfer?: ArrayBuffer[]): void
  onMessage(handler: (message: unknown) => void): void
}

export interface ServeOptions {
  /** How long runs step before the loop yields to pending messages (ms). */
  sliceMs?: number
  /** Least time between two progress messages of one run (ms); the first point goes out at once. */
  progressIntervalMs?: number
  /** Clock in ms; `performance.now()` by default. */
  now?: () => number
  /**
   * Train a tiny network once when idle after start, so the JIT has compiled the engine's hot loops
   * before the student presses Train (a cold first step of the lesson net takes twice as long).
   */
  warmUp?: boolean
}

const WARM_UP_CONFIG: LabConfig = {
  seed: 0,
  n: 16,
  dIn: 64,
  hidden: [32],
  dOut: 4,
  activation: 'relu',
  reduction: 'sum',
  dtype: 'float32',
  optimizer: 'Adam',
  hyper: { lr: 1e-3 },
  steps: 5
}

export const DEFAULT_SLICE_MS = 12
export const DEFAULT_PROGRESS_INTERVAL_MS = 50

/** A failed command, answered to the caller as `{ ok: false, error }`. */
class CommandError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CommandError'
  }
}

function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message }
  return { name: 'Error', message: String(error) }
}

function defaultNow(): number {
  const performanceLike = (globalThis as { performance?: { now(): number } }).performance
  return performanceLike ? performanceLike.now() : Date.now()
}

export function serve(port: PortLike, options: ServeOptions = {}): { dispose(): void } {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS
  const progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS
  const now = options.now ?? defaultNow
  const runs = new Map<string, Run>()
  /** The five rungs being trained, by rungs id; forgotten once over (their last event says how it ended). */
  const rungJobs = new Map<string, RungsJob>()
  const yielder = createYielder()
  let disposed = false
  let tickScheduled = false

  const emit = (event: EngineEvent, transfer?: ArrayBuffer[]): void => {
    if (!disposed) port.postMessage(event, transfer)
  }

  /** Pending losses, then the run's new status: the order the renderer relies on. */
  const announce = (run: Run): void => {
    run.flush(emit, now())
    emit(run.stateEvent())
  }

  const scheduleTick = (): void => {
    if (disposed || tickScheduled) return
    tickScheduled = true
    yielder.schedule(tick)
  }

  function tick(): void {
    tickScheduled = false
    if (disposed) return
    const started = now()
    let anyRunning = true
    while (anyRunning && now() - started < sliceMs) {
      anyRunning = false
      for (const run of runs.values()) {
        if (run.status !== 'running') continue
        run.stepOnce()
        // The first point of a run goes out immediately: the student sees training start.
        if (run.lastFlushAt === -Infinity) run.flush(emit, now())
        if (run.status === 'running') anyRunning = true
        else announce(run)
      }
      // The rungs take turns with the runs, one rung's step at a time.
      for (const job of rungJobs.values()) {
        job.stepOnce()
        if (job.lastFlushAt === -Infinity) job.flush(emit, now())
        if (job.status === 'running') anyRunning = true
        else endRungs(job)
      }
    }
    const flushedAt = now()
    for (const run of [...runs.values(), ...rungJobs.values()]) {
      if (run.hasPendingLosses && flushedAt - run.lastFlushAt >= progressIntervalMs) run.flush(emit, flushedAt)
    }
    if (anyRunning) scheduleTick()
    else for (const run of runs.values()) run.flush(emit, flushedAt)
  }

  /** The rungs' pending losses, their final state (with the largest difference), and they are forgotten. */
  const endRungs = (job: RungsJob): void => {
    job.flush(emit, now())
    emit(job.stateEvent())
    rungJobs.delete(job.rungsId)
  }

  const runOf = (runId: string): Run => {
    const run = runs.get(runId)
    if (!run) throw new CommandError(`There is no run "${runId}"`)
    return run
  }

  const ended = (run: Run): CommandError =>
    new CommandError(`Run "${run.runId}" has ${run.status === 'failed' ? 'failed' : `already ${run.status}`}`)

  /** A run that may take a single step: paused. */
  const pausedRun = (runId: string): Run => {
    const run = runOf(runId)
    if (run.status === 'running') throw new CommandError(`Run "${run.runId}" is running; pause it before stepping`)
    if (run.status !== 'paused') throw ended(run)
    return run
  }

  /** One step of a paused run, with its loss sent at once and any status change after the reply. */
  const stepPaused = (run: Run): number => {
    const loss = run.stepOnce()
    run.flush(emit, now())
    if (run.status !== 'paused') queueAfterReply(() => announce(run))
    if (loss === null) throw new CommandError(run.message ?? 'The step failed')
    return loss
  }

  /** Executes one valid command; returns the reply's result, or throws for an error reply. */
  function execute(command: EngineCommand): EngineResults[EngineCommandType] {
    switch (command.type) {
      case 'ping':
        return { engine: APP_NAME, kernels: kernels().name }
      case 'startRun': {
        if (runs.has(command.runId)) throw new CommandError(`Run "${command.runId}" already exists`)
        const run = new Run(command.runId, command.config, command.paused === true)
        runs.set(command.runId, run)
        // steps: 0 is a run that is over before it starts (its weights can still be exported).
        if (run.totalSteps === 0) run.settle('finished')
        queueAfterReply(() => {
          emit(run.stateEvent())
          if (run.status === 'running') scheduleTick()
        })
        return run.snapshot()
      }
      case 'startRace': {
        const ids = command.lanes.map((lane) => lane.runId)
        for (const [i, runId] of ids.entries()) {
          if (runs.has(runId) || ids.indexOf(runId) !== i) throw new CommandError(`Run "${runId}" already exists`)
        }
        // Added together, the lanes step round-robin: one update each, in lockstep.
        const lanes = Run.race(command.lanes)
        for (const run of lanes) runs.set(run.runId, run)
        for (const run of lanes) if (run.totalSteps === 0) run.settle('finished')
        queueAfterReply(() => {
          for (const run of lanes) emit(run.stateEvent())
          scheduleTick()
        })
        return lanes.map((run) => run.snapshot())
      }
      case 'startRungs': {
        if (rungJobs.has(command.rungsId)) throw new CommandError(`Rungs "${command.rungsId}" already exist`)
        const job = new RungsJob(command.rungsId, command.config)
        rungJobs.set(command.rungsId, job)
        queueAfterReply(() => {
          emit(job.stateEvent())
          scheduleTick()
        })
        return { rungsId: job.rungsId, runIds: job.runIds }
      }
      case 'stopRungs': {
        const job = rungJobs.get(command.rungsId)
        if (!job) throw new CommandError(`There are no rungs "${command.rungsId}" training`)
        job.finish('stopped')
        queueAfterReply(() => endRungs(job))
        return { step: job.step }
      }
      case 'importWeights': {
        if (runs.has(command.runId)) throw new CommandError(`Run "${command.runId}" already exists`)
        // Every check runs before the run exists: a bad file changes nothing.
        const imported = readWeightsFile(command.text, command.config)
        const run = Run.fromWeights(command.runId, imported)
        runs.set(command.runId, run)
        queueAfterReply(() => emit(run.stateEvent()))
        return {
          ...run.snapshot(),
          config: imported.config,
          resumed: imported.optimizerState !== null,
          fileSteps: imported.file.meta.steps
        }
      }
      case 'pauseRun': {
        const run = runOf(command.runId)
        if (run.status === 'running') {
          run.status = 'paused'
          queueAfterReply(() => announce(run))
        } else if (run.status !== 'paused') throw ended(run)
        return { step: run.step }
      }
      case 'resumeRun': {
        const run = runOf(command.runId)
        if (run.status === 'paused') {
          run.status = 'running'
          queueAfterReply(() => {
            emit(run.stateEvent())
            scheduleTick()
          })
        } else if (run.status !== 'running') throw ended(run)
        return { step: run.step }
      }
      case 'stopRun': {
        const run = runOf(command.runId)
        if (run.isActive) {
          run.settle('stopped')
          queueAfterReply(() => announce(run))
        }
        return { step: run.step }
      }
      case 'stepRun': {
        const run = pausedRun(command.runId)
        const loss = stepPaused(run)
        return { step: run.step, loss }
      }
      case 'traceUpdate': {
        const run = pausedRun(command.runId)
        // The parameter and index are checked before the step: a bad request changes nothing.
        return run.microscope.trace(command.parameter, command.index, () => ({ loss: stepPaused(run), step: run.step }))
      }
      case 'inspectRun':
        return runOf(command.runId).snapshot()
      case 'inspectState': {
        const run = runOf(command.runId)
        return run.microscope.view(command.parameter, command.view, run.step)
      }
      case 'exportWeights':
        return runOf(command.runId).exportWeights()
      case 'disposeRun':
        runOf(command.runId)
        runs.delete(command.runId)
        return null
    }
  }

  /** Events that must follow the reply of the command being executed. */
  let afterReply: (() => void)[] = []
  const queueAfterReply = (action: () => void): void => {
    afterReply.push(action)
  }

  function handle(message: unknown): void {
    if (disposed) return
    let parsed: ReturnType<typeof parseCommand>
    try {
      parsed = parseCommand(message)
    } catch (error) {
      emit({ type: 'hostError', error: serializeError(error) })
      return
    }
    if (!parsed.ok) {
      const error = { name: 'ProtocolError', message: parsed.message }
      if (parsed.id === null) emit({ type: 'hostError', error })
      else emit({ type: 'reply', id: parsed.id, ok: false, error })
      return
    }
    const { command } = parsed
    afterReply = []
    try {
      const result = execute(command)
      // A state view's values are a fresh copy: moved, not cloned, where the transport can.
      const transfer = command.type === 'inspectState' ? [(result as StateView).values.buffer as ArrayBuffer] : undefined
      emit({ type: 'reply', id: command.id, ok: true, result }, transfer)
    } catch (error) {
      emit({ type: 'reply', id: command.id, ok: false, error: serializeError(error) })
    }
    const actions = afterReply
    afterReply = []
    for (const action of actions) action()
  }

  port.onMessage(handle)

  if (options.warmUp ?? true) {
    setTimeout(() => {
      // A real run warms the engine just as well; only an idle host trains the throwaway net.
      if (disposed || runs.size > 0 || rungJobs.size > 0) return
      try {
        const run = new Run('warm-up', WARM_UP_CONFIG, false)
        while (run.status === 'running') run.stepOnce()
        run.snapshot()
      } catch {
        // Warming up is an optimisation; a real run reports its own errors.
      }
    }, 0)
  }

  return {
    dispose() {
      disposed = true
      yielder.dispose()
      runs.clear()
      rungJobs.clear()
    }
  }
}
