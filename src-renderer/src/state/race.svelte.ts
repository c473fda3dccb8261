/**
 * The optimizer race: lanes that differ only in the optimizer and its hyperparameters, started
 * together with one `startRace` (the engine draws the data and θ₀ once and copies them into every
 * lane), stepping in lockstep, each lane showing its θ₀ fingerprint.
 */
import { OPTIMIZER_DEFAULTS, type Hyperparameters, type LabConfig, type OptimizerName } from '../../../src-main/shared/config'
import { LIMITS } from '../../../src-main/shared/schema'
import type { EngineConnection } from '../engine'
import type { ConfigForm } from './config-form.svelte'
import { Run } from './run.svelte'

export interface LaneDraft {
  optimizer: OptimizerName
  lr: number
  /** SGD only: `momentum` (0.9 makes plain SGD the tutorial's "Momentum"). */
  momentum: number
}

export const MAX_LANES = LIMITS.maxRaceLanes

/** The tutorial's point: Momentum vs RMSprop vs Adam, on the lesson's net with reduction="sum". */
export function momentumRmspropAdam(): LaneDraft[] {
  return [
    { optimizer: 'SGD', lr: 1e-6, momentum: 0.9 },
    { optimizer: 'RMSprop', lr: 1e-4, momentum: 0 },
    { optimizer: 'Adam', lr: 1e-4, momentum: 0 }
  ]
}

/** A lane's configuration: the form's model, data, seed and steps; the lane's optimizer. */
export function laneConfig(base: LabConfig, lane: LaneDraft): LabConfig {
  const hyper: Hyperparameters = { ...structuredClone(OPTIMIZER_DEFAULTS[lane.optimizer]), lr: lane.lr }
  if (lane.optimizer === 'SGD') hyper.momentum = lane.momentum
  const { paramGroups, groupHyper, scheduler, ...shared } = base
  void [paramGroups, groupHyper, scheduler]
  return { ...shared, optimizer: lane.optimizer, hyper }
}

export class Race {
  lanes = $state<LaneDraft[]>(momentumRmspropAdam())
  runs = $state.raw<Run[]>([])
  /** θ₀ fingerprint of each lane of the current race, as the engine reported it. */
  fingerprints = $state.raw<string[]>([])
  busy = $state(false)
  error = $state<string | null>(null)

  running = $derived(this.runs.some((run) => run.active))
  canAdd = $derived(!this.running && this.lanes.length < MAX_LANES)
  /** True once every lane has reported the same fingerprint. */
  identical = $derived(this.fingerprints.length > 0 && this.fingerprints.every((f) => f === this.fingerprints[0]))

  readonly #cleanups: (() => void)[]

  constructor(
    private readonly connection: EngineConnection,
    private readonly form: ConfigForm
  ) {
    this.#cleanups = [
      connection.onProgress((event) => this.#find(event.runId)?.addLosses(event.fromStep, event.losses)),
      connection.onRunState((event) => {
        const run = this.#find(event.runId)
        if (!run) return
        run.phase = event.status
        run.step = Math.max(run.step, event.step)
        if (event.finalLoss !== undefined) run.finalLoss = event.finalLoss
        if (event.message) run.message = event.message
      })
    ]
  }

  get canStart(): boolean {
    return !this.busy && !this.running && this.lanes.length > 0 && this.form.error === null
  }

  addLane(): void {
    if (this.canAdd) this.lanes.push({ optimizer: 'Adam', lr: 1e-4, momentum: 0 })
  }

  removeLane(index: number): void {
    if (!this.running) this.lanes.splice(index, 1)
  }

  usePreset(lanes: LaneDraft[]): void {
    if (!this.running) this.lanes = lanes.slice(0, MAX_LANES)
  }

  async start(): Promise<void> {
    if (!this.canStart) return
    this.busy = true
    this.error = null
    this.#dispose()
    const base = this.form.config
    const runs = this.lanes.map((lane, i) => new Run(crypto.randomUUID(), i + 1, laneConfig(base, $state.snapshot(lane) as LaneDraft)))
    this.runs = runs
    this.fingerprints = []
    try {
      const snapshots = await this.connection.request({ type: 'startRace', lanes: runs.map((run) => ({ runId: run.id, config: run.config })) })
      this.fingerprints = snapshots.map((snapshot) => snapshot.fingerprint ?? '')
      for (const run of runs) if (run.phase === 'starting') run.phase = 'running'
    } catch (error) {
      for (const run of runs) {
        run.phase = 'failed'
        run.inEngine = false
      }
      this.error = error instanceof Error ? error.message : String(error)
    } finally {
      this.busy = false
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.runs.filter((run) => run.active).map((run) => this.connection.request({ type: 'stopRun', runId: run.id }).catch(() => undefined))
    )
  }

  dispose(): void {
    this.#cleanups.forEach((cleanup) => cleanup())
  }

  #dispose(): void {
    for (const run of this.runs) {
      if (run.inEngine) this.connection.request({ type: 'disposeRun', runId: run.id }).catch(() => undefined)
    }
  }

  #find(runId: string): Run | undefined {
    return this.runs.find((run) => run.id === runId)
  }
}
