/**
 * The five rungs inside the host (engine/lesson/rungs.ts): the same net trained five ways from one
 * seed, stepped in lockstep by the host's scheduler one rung-step at a time (so a slice never holds
 * five lesson steps at once), each rung's losses streamed as `progress` of its own run id, and at
 * the end the largest difference between any two curves.
 */
import type { EngineEvent, RungsDifference, RungsStatus, RunId } from '../shared/protocol'
import { RUNGS, createRung, largestDifference, type Rung, type RungConfig } from '../engine/lesson/rungs'

/** `transfer`: buffers in the event that the transport may move instead of copying. */
export type Emit = (event: EngineEvent, transfer?: ArrayBuffer[]) => void

/** The run id under which rung `index` (1–5) of `rungsId` streams its losses. */
export function rungRunId(rungsId: RunId, index: number): RunId {
  return `${rungsId}:rung-${index}`
}

export class RungsJob {
  readonly rungs: Rung[]
  readonly runIds: RunId[]
  readonly totalSteps: number
  status: RungsStatus = 'running'
  message: string | undefined
  difference: RungsDifference | undefined
  /** Every loss of every rung (the length is known up front). */
  private readonly losses: Float64Array<ArrayBuffer>[]
  /** Steps recorded per rung, and sent per rung. */
  private readonly recorded: number[]
  private readonly sent: number[]
  /** The rung that takes the next step: 0..4, round and round, so the rungs stay in lockstep. */
  private next = 0
  lastFlushAt = -Infinity

  constructor(
    readonly rungsId: RunId,
    config: RungConfig
  ) {
    this.totalSteps = config.steps
    this.rungs = RUNGS.map((info) => createRung(info.index, config))
    this.runIds = RUNGS.map((info) => rungRunId(rungsId, info.index))
    this.losses = RUNGS.map(() => new Float64Array(config.steps))
    this.recorded = RUNGS.map(() => 0)
    this.sent = RUNGS.map(() => 0)
  }

  /** Steps every rung has taken (the lockstep's position). */
  get step(): number {
    return Math.min(...this.recorded)
  }

  get hasPendingLosses(): boolean {
    return this.recorded.some((n, i) => n > this.sent[i])
  }

  /** One step of one rung; a loss that is not finite fails the whole comparison. */
  stepOnce(): void {
    if (this.status !== 'running') return
    const i = this.next
    const t = this.recorded[i]
    let loss: number
    try {
      loss = this.rungs[i].step()
    } catch (error) {
      this.fail(`Rung ${i + 1} (${RUNGS[i].name}) failed at step ${t}: ${error instanceof Error ? error.message : String(error)}`)
      return
    }
    if (!Number.isFinite(loss)) {
      this.fail(`The loss of rung ${i + 1} (${RUNGS[i].name}) became ${loss} at step ${t}: the updates diverged (the learning rate is probably too large).`)
      return
    }
    this.losses[i][t] = loss
    this.recorded[i] = t + 1
    this.next = (i + 1) % this.rungs.length
    if (this.next === 0 && this.step >= this.totalSteps) this.finish('finished')
  }

  /** Ends the job; the difference is measured over the steps all five rungs took. */
  finish(status: 'finished' | 'stopped'): void {
    this.status = status
    this.measure()
  }

  private fail(message: string): void {
    this.status = 'failed'
    this.message = message
    this.measure()
  }

  private measure(): void {
    const common = this.step
    if (common === 0) return
    const curves = RUNGS.map((info, i) => ({ info, losses: Array.from(this.losses[i].subarray(0, common)) }))
    const worst = largestDifference(curves)
    this.difference = { ...worst, between: [worst.between[0], worst.between[1]], steps: common }
  }

  /** Sends each rung's losses measured since the last flush. */
  flush(emit: Emit, now: number): void {
    if (!this.hasPendingLosses) return
    for (let i = 0; i < this.rungs.length; i++) {
      const fromStep = this.sent[i]
      if (this.recorded[i] === fromStep) continue
      const losses = this.losses[i].slice(fromStep, this.recorded[i])
      emit({ type: 'progress', runId: this.runIds[i], fromStep, losses }, [losses.buffer])
      this.sent[i] = this.recorded[i]
    }
    this.lastFlushAt = now
  }

  stateEvent(): EngineEvent {
    const event: EngineEvent = { type: 'rungsState', rungsId: this.rungsId, status: this.status, step: this.step, totalSteps: this.totalSteps }
    if (this.difference !== undefined) event.difference = this.difference
    if (this.message !== undefined) event.message = this.message
    return event
  }
}
