/**
 * One training run inside the host: a `TrainingSession`, its status, and the losses measured since
 * they were last sent. The host's scheduler decides when to step it and when to flush.
 */
import type { LabConfig } from '../shared/config'
import type { EngineEvent, RunId, RunSnapshot, RunStatus } from '../shared/protocol'
import type { WeightsFile } from '../shared/weights-file'
import { TrainingSession } from '../engine/train/session'

export type Emit = (event: EngineEvent) => void

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
  /** Losses not yet sent; `pending[0]` is the loss at step `pendingFrom`. */
  private pending: number[] = []
  private pendingFrom = 0
  /** When losses were last sent (ms, the host's clock); -Infinity until the first point went out. */
  lastFlushAt = -Infinity

  constructor(
    readonly runId: RunId,
    config: LabConfig,
    paused: boolean
  ) {
    this.session = new TrainingSession(config)
    this.totalSteps = config.steps
    this.status = paused ? 'paused' : 'running'
  }

  get step(): number {
    return this.session.stepsDone
  }

  get hasPendingLosses(): boolean {
    return this.pending.length > 0
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
    let loss: number
    try {
      loss = this.session.step()
    } catch (error) {
      this.fail(`Step ${t} failed: ${error instanceof Error ? error.message : String(error)}`)
      return null
    }
    if (!Number.isFinite(loss)) {
      this.fail(
        `The loss became ${describeNonFinite(loss)} at step ${t}: the updates diverged ` +
          `(the learning rate is probably too large). The ${t} loss values before it are kept.`
      )
      return null
    }
    if (this.pending.length === 0) this.pendingFrom = t
    this.pending.push(loss)
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
    if (this.pending.length === 0) return
    emit({ type: 'progress', runId: this.runId, fromStep: this.pendingFrom, losses: this.pending })
    this.pending = []
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
      modelRepr: session.model.describe()
    }
  }

  exportWeights(): WeightsFile {
    return this.session.exportWeights(this.finalLoss ?? null)
  }
}
