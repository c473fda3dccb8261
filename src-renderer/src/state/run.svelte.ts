import type { LabConfig } from '../../../src-main/shared/config'
import type { IdentityRow, RunId, RunStatus } from '../../../src-main/shared/protocol'
import { formatPythonFloat } from '../../../src-main/shared/python-format'
import { t } from '../i18n/index.svelte'
import { LossSeries } from './loss-series.svelte'

/** `starting` until the engine answers startRun; `lost` when the engine died under it. */
export type RunPhase = RunStatus | 'starting' | 'lost'

/** One training run as the renderer sees it: its configuration, every loss and its status. */
export class Run {
  readonly losses = new LossSeries()
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
  }

  /** Record losses; steps done follows them (loss t is measured, then update t applied). */
  addLosses(fromStep: number, losses: ArrayLike<number>): void {
    this.losses.set(fromStep, losses)
    this.step = Math.max(this.step, fromStep + losses.length)
  }
}
