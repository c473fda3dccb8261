/**
 * The tutorial's five rungs (numpy → tensors → autograd → nn → optim): the same net trained five
 * ways from one seed in the engine (`startRungs`), each rung's curve drawn as it arrives, each
 * rung's Python shown on demand, and at the end the largest difference between any two curves.
 */
import { RUNGS, RUNG_DEFAULTS, type RungConfig, type RungIndex } from '../../../src-main/engine/lesson/rungs'
import { rungSource } from '../../../src-main/engine/lesson/rung-sources'
import type { RungsDifference, RungsStatus } from '../../../src-main/shared/protocol'
import { RungConfigSchema, describeProblem, parseWith } from '../../../src-main/shared/schema'
import type { EngineConnection } from '../engine'
import { t } from '../i18n/index.svelte'
import type { ChartRun } from '../lib/loss-chart'
import { LossSeries } from './loss-series.svelte'

/** One rung's curve, drawn like a run (index = rung number, so colours follow the palette). */
export class RungCurve implements ChartRun {
  readonly losses = new LossSeries()
  label = $derived.by(() => t('rungs.curve', { index: this.index, name: RUNGS[this.index - 1].name }))

  constructor(
    readonly id: string,
    readonly index: RungIndex
  ) {}
}

export type RungsPhase = 'idle' | 'starting' | RungsStatus | 'lost'

export class Rungs {
  seed = $state(RUNG_DEFAULTS.seed)
  lr = $state(RUNG_DEFAULTS.lr)
  steps = $state(RUNG_DEFAULTS.steps)
  /** The net's sizes: the series' unless a preset says otherwise (no fields: the lesson is about the rungs). */
  sizes = $state.raw({ n: RUNG_DEFAULTS.n, dIn: RUNG_DEFAULTS.dIn, hidden: RUNG_DEFAULTS.hidden, dOut: RUNG_DEFAULTS.dOut })
  logScale = $state(true)
  /** The rung whose code is shown. */
  shown = $state<RungIndex>(1)

  curves = $state.raw<RungCurve[]>([])
  phase = $state<RungsPhase>('idle')
  /** Steps every rung has taken: the shortest curve received (the rungs step in lockstep). */
  step = $derived(this.curves.length === 0 ? 0 : Math.min(...this.curves.map((curve) => curve.losses.length)))
  totalSteps = $state(0)
  difference = $state.raw<RungsDifference | null>(null)
  error = $state<string | null>(null)
  /** Why the engine refused to start them (a bad field, in PyTorch's words). */
  refusal = $state<string | null>(null)
  /** The configuration of the rungs drawn (their code is shown with it). */
  ran = $state.raw<RungConfig | null>(null)

  config = $derived<RungConfig>({ seed: this.seed, ...this.sizes, lr: this.lr, steps: this.steps })
  /** The first problem with the fields, as the engine would word it. */
  configError = $derived.by(() => {
    const parsed = parseWith(RungConfigSchema, this.config)
    return parsed.ok ? null : describeProblem(parsed)
  })
  running = $derived(this.phase === 'starting' || this.phase === 'running')
  canStart = $derived(!this.running && this.configError === null)
  /** The shown rung's Python, filled in with the configuration run (or about to be). */
  source = $derived(rungSource(this.shown, this.ran ?? this.config))

  #rungsId: string | null = null
  readonly #cleanups: (() => void)[]

  constructor(private readonly connection: EngineConnection) {
    this.#cleanups = [
      connection.onProgress((event) => this.curves.find((curve) => curve.id === event.runId)?.losses.set(event.fromStep, event.losses)),
      connection.onRungsState((event) => {
        if (event.rungsId !== this.#rungsId) return
        this.phase = event.status
        this.totalSteps = event.totalSteps
        if (event.difference) this.difference = event.difference
        if (event.message) this.error = event.message
      }),
      connection.onLifecycle((event) => {
        if (event.type === 'engineCrashed' && this.running) {
          this.phase = 'lost'
          this.error = event.reason
        }
      })
    ]
  }

  /** Fills the fields from a preset; the rungs' net sizes too. */
  usePreset(config: RungConfig): void {
    if (this.running) return
    this.seed = config.seed
    this.lr = config.lr
    this.steps = config.steps
    this.sizes = { n: config.n, dIn: config.dIn, hidden: config.hidden, dOut: config.dOut }
  }

  async start(): Promise<void> {
    if (!this.canStart) return
    const config = $state.snapshot(this.config) as RungConfig
    const rungsId = crypto.randomUUID()
    this.#rungsId = rungsId
    this.phase = 'starting'
    this.error = null
    this.refusal = null
    this.difference = null
    this.curves = []
    this.totalSteps = config.steps
    this.ran = config
    try {
      const { runIds } = await this.connection.request({ type: 'startRungs', rungsId, config })
      // Events may only follow the reply, so the curves exist before their first losses.
      this.curves = runIds.map((id, i) => new RungCurve(id, RUNGS[i].index))
      if (this.phase === 'starting') this.phase = 'running'
    } catch (error) {
      this.phase = 'idle'
      this.curves = []
      this.refusal = error instanceof Error ? error.message : String(error)
    }
  }

  async stop(): Promise<void> {
    if (!this.running || this.#rungsId === null) return
    // Already over by the time it arrives: the final state says how it ended.
    await this.connection.request({ type: 'stopRungs', rungsId: this.#rungsId }).catch(() => undefined)
  }

  dispose(): void {
    this.#cleanups.forEach((cleanup) => cleanup())
  }
}
