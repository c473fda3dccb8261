import type { LabConfig } from '../../../src-main/shared/config'
import type { IdentityRow, ParameterInspection, RunId, RunStatus } from '../../../src-main/shared/protocol'
import { formatPythonFloat } from '../../../src-main/shared/python-format'
import { t } from '../i18n/index.svelte'
import { LossSeries } from './loss-series.svelte'

/** `starting` until the engine answers startRun; `lost` when the engine died under it. */
export type RunPhase = RunStatus | 'starting' | 'lost'

/** |p.grad| of every parameter after `step` updates, from one engine snapshot. */
export interface GradientRecord {
  step: number
  names: string[]
  norms: (number | null)[]
}

/** Snapshots kept for the zero_grad explainer (the newest). */
const MAX_GRADIENT_RECORDS = 50

/** One training run as the renderer sees it: its configuration, every loss and its status. */
export class Run {
  readonly losses = new LossSeries()
  /** `lrs[g]`: the lr param group g had at each update, as the engine reports it. */
  lrs = $state.raw<LossSeries[]>([])
  /** A scheduler or several param groups: the lr is worth its own chart. */
  readonly scheduled: boolean
  phase = $state<RunPhase>('starting')
  /** Updates applied so far. */
  step = $state(0)
  totalSteps = $state(0)
  /** Loss after the last update, reported once the run finished or stopped. */
  finalLoss = $state<number | null>(null)
  message = $state<string | null>(null)
  identity = $state.raw<IdentityRow[]>([])
  /** False once the engine that held this run is gone (its weights can no longer be exported). */
  inEngine = $state(true)
  /** |p.grad| per parameter at each snapshot taken after an update (Step, pause, the end), oldest first. */
  gradients = $state.raw<GradientRecord[]>([])

  label = $derived.by(() =>
    t('run.label', {
      index: this.index,
      optimizer: this.config.optimizer,
      lr: formatPythonFloat(this.config.hyper.lr),
      seed: this.config.seed
    })
  )
  active = $derived(this.phase === 'starting' || this.phase === 'running' || this.phase === 'paused')
  /** The newest loss known: the final one when reported, otherwise the last step's. */
  latestLoss = $derived(this.finalLoss ?? this.losses.last)

  constructor(
    readonly id: RunId,
    /** 1-based position in the order runs were started (legend, colours). */
    readonly index: number,
    readonly config: LabConfig
  ) {
    this.totalSteps = config.steps
    this.scheduled = config.scheduler !== undefined || (config.paramGroups ?? 'single') !== 'single'
  }

  /** Keeps a snapshot's gradient norms, once per step count (a snapshot before any update has none). */
  recordGradients(step: number, parameters: readonly ParameterInspection[]): void {
    if (step === 0 || parameters.every((p) => p.gradNorm === null) || this.gradients.some((r) => r.step === step)) return
    const record = { step, names: parameters.map((p) => p.name), norms: parameters.map((p) => p.gradNorm) }
    this.gradients = [...this.gradients, record].sort((a, b) => a.step - b.step).slice(-MAX_GRADIENT_RECORDS)
  }

  /** Record losses; steps done follows them (loss t is measured, then update t applied). */
  addLosses(fromStep: number, losses: ArrayLike<number>, lrs?: readonly ArrayLike<number>[]): void {
    if (lrs) {
      if (this.lrs.length !== lrs.length) this.lrs = lrs.map(() => new LossSeries())
      lrs.forEach((values, g) => this.lrs[g].set(fromStep, values))
    }
    this.losses.set(fromStep, losses)
    this.step = Math.max(this.step, fromStep + losses.length)
  }
}
