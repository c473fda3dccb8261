/**
 * One training run inside the host: a `TrainingSession`, its status, and the losses measured since
 * they were last sent. The host's scheduler decides when to step it and when to flush.
 */
import type { LabConfig } from '../shared/config'
import type { EngineEvent, RunId, RunSnapshot, RunStatus } from '../shared/protocol'
import type { WeightsFile } from '../shared/weights-file'
import type { ImportedWeights } from '../shared/weights-import'
import { TrainingSession } from '../engine/train/session'
import { Tensor } from '../engine/tensor/tensor'
import { Microscope } from './microscope'

/** `transfer`: buffers in the event that the transport may move instead of copying (see `PortLike`). */
export type Emit = (event: EngineEvent, transfer?: ArrayBuffer[]) => void

function describeNonFinite(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  return value > 0 ? 'Infinity' : '-Infinity'
}

export class Run {
  readonly session: TrainingSession
  readonly totalSteps: number
  status: RunStatus
  /** Loss after the last update, once finished or stopped. */
  finalLoss: number | undefined
  /** Why the run failed, for the student. */
  message: string | undefined
  /**
   * Every step's loss, in a Float64Array that doubles when full: 8 bytes a step, no boxed numbers,
   * so a run of millions of steps holds one buffer. Steps from `sentUpTo` on have not been sent yet.
   */
  private losses = new Float64Array(1024)
  /** `lrs[g][t]`: group g's lr when update t was applied, grown with `losses`. */
  private lrs: Float64Array<ArrayBuffer>[]
  private recorded = 0
  private sentUpTo = 0
  /** When losses were last sent (ms, the host's clock); -Infinity until the first point went out. */
  lastFlushAt = -Infinity
  /** θ₀ fingerprint (protocol `RunSnapshot.fingerprint`), taken before any step. */
  fingerprint: string
  /** Per-weight views of parameters and state, and the algorithm box of one weight. */
  readonly microscope: Microscope

  constructor(
    readonly runId: RunId,
    config: LabConfig,
    paused: boolean
  ) {
    this.session = new TrainingSession(config)
    this.lrs = this.session.currentLrs().map(() => new Float64Array(1024))
    this.totalSteps = config.steps
    this.status = paused ? 'paused' : 'running'
    this.fingerprint = this.session.parameterFingerprint()
    this.microscope = new Microscope(this.session)
  }

  /**
   * Race lanes: the first lane's data and initial weights are copied into every other lane (drawn
   * once, cloned), so all lanes share θ₀ and its fingerprint. Nothing has stepped yet.
   */
  static race(lanes: { runId: RunId; config: LabConfig }[]): Run[] {
    const runs = lanes.map((lane) => new Run(lane.runId, lane.config, false))
    for (const run of runs.slice(1)) {
      run.session.copyStartFrom(runs[0].session)
      run.fingerprint = run.session.parameterFingerprint()
    }
    return runs
  }

  /** Updates applied so far; for a run that failed, the step whose loss was not finite. */
  get step(): number {
    return this.failedAt ?? this.session.stepsDone
  }

  /** The step at which the run failed (its loss, and every one after, not recorded). */
  private failedAt: number | undefined

  get hasPendingLosses(): boolean {
    return this.recorded > this.sentUpTo
  }

  /** Losses recorded so far (a view, valid until the next step). */
  get lossHistory(): Float64Array {
    return this.losses.subarray(0, this.recorded)
  }

  get isActive(): boolean {
    return this.status === 'running' || this.status === 'paused'
  }

  /**
   * One `zero_grad → forward → backward → step`. A loss that is not finite fails the run at that
   * step; the losses before it stay recorded (and are sent), the bad one is not.
   * Returns the loss, or null if the step failed.
   */
  stepOnce(): number | null {
    const t = this.session.stepsDone
    // The lrs this update uses: the scheduler steps after optimizer.step(), so read them first.
    const lrs = this.session.currentLrs()
    let loss: number
    try {
      this.microscope.beforeStep()
      loss = this.session.step()
    } catch (error) {
      this.fail(`Step ${t} failed: ${error instanceof Error ? error.message : String(error)}`)
      return null
    }
    if (!Number.isFinite(loss)) {
      this.failedAt = t
      this.fail(
        `The loss became ${describeNonFinite(loss)} at step ${t}: the updates diverged ` +
          `(the learning rate is probably too large). The ${t} loss values before it are kept.`
      )
      return null
    }
    if (this.recorded === this.losses.length) {
      const grow = (values: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
        const grown = new Float64Array(values.length * 2)
        grown.set(values)
        return grown
      }
      this.losses = grow(this.losses)
      this.lrs = this.lrs.map(grow)
    }
    this.lrs.forEach((values, g) => (values[this.recorded] = lrs[g]))
    this.losses[this.recorded++] = loss
    if (this.session.stepsDone >= this.totalSteps) this.settle('finished')
    return loss
  }

  /** Ends the run as `finished` or `stopped`, measuring the loss of the final weights. */
  settle(status: 'finished' | 'stopped'): void {
    const finalLoss = this.session.evaluateLoss()
    if (!Number.isFinite(finalLoss)) {
      this.fail(`The loss became ${describeNonFinite(finalLoss)} after the last update (step ${this.step}).`)
      return
    }
    this.finalLoss = finalLoss
    this.status = status
  }

  private fail(message: string): void {
    this.status = 'failed'
    this.message = message
  }

  /** Sends the losses measured since the last flush, if any. */
  flush(emit: Emit, now: number): void {
    if (!this.hasPendingLosses) return
    const fromStep = this.sentUpTo
    // Copies (slice), so their buffers can be handed over to the transport.
    const slice = (values: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => values.slice(fromStep, this.recorded)
    const losses = slice(this.losses)
    const lrs = this.lrs.map(slice)
    emit({ type: 'progress', runId: this.runId, fromStep, losses, lrs }, [losses.buffer, ...lrs.map((values) => values.buffer)])
    this.sentUpTo = this.recorded
    this.lastFlushAt = now
  }

  stateEvent(): EngineEvent {
    const event: EngineEvent = {
      type: 'runState',
      runId: this.runId,
      status: this.status,
      step: this.step,
      totalSteps: this.totalSteps
    }
    if (this.finalLoss !== undefined) event.finalLoss = this.finalLoss
    if (this.message !== undefined) event.message = this.message
    return event
  }

  snapshot(): RunSnapshot {
    const { session } = this
    return {
      runId: this.runId,
      step: this.step,
      totalSteps: this.totalSteps,
      identity: session.identityRows(),
      parameters: session.inspectParameters(),
      paramGroups: session.optimizer.stateDict().param_groups as unknown as Record<string, unknown>[],
      modelRepr: session.model.describe(),
      fingerprint: this.fingerprint
    }
  }

  exportWeights(): WeightsFile {
    return this.session.exportWeights(this.finalLoss ?? null)
  }

  /**
   * A paused run holding a checked weights file's model weights and, when present, its optimizer
   * state and hyperparameters (`readWeightsFile` has validated every value and shape).
   */
  static fromWeights(runId: RunId, imported: ImportedWeights): Run {
    const run = new Run(runId, imported.config, true)
    const tensor = (t: { data: number[]; shape: number[]; dtype: LabConfig['dtype'] }): Tensor => Tensor.fromArray(t.data, t.shape, t.dtype)
    run.session.model.loadStateDict(new Map(Object.entries(imported.file.state_dict).map(([name, t]) => [name, tensor(t)])))
    const saved = imported.optimizerState
    if (saved) {
      const state: Record<number, Record<string, Tensor | number>> = {}
      for (const [id, entry] of Object.entries(saved.state)) {
        state[Number(id)] = Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, typeof value === 'number' ? value : tensor(value)]))
      }
      run.session.optimizer.loadStateDict({ state, param_groups: saved.param_groups })
    }
    run.fingerprint = run.session.parameterFingerprint()
    return run
  }
}
