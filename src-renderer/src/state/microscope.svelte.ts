/**
 * The optimizer-state microscope: which parameter and view of the current run are looked at, the
 * latest whole view from the engine, the picked weight and its last algorithm box. Views are
 * fetched at most every `REFRESH_MS` while a run trains (a trailing fetch catches the last state)
 * and whenever the run's step changes otherwise (pause, Step, finish).
 */
import type { StateView, UpdateTrace } from '../../../src-main/shared/protocol'
import type { EngineConnection } from '../engine'
import { gridOf } from '../lib/heatmap'
import type { Run } from './run.svelte'

/** Least time between two fetches of a view while a run trains (a few a second). */
export const REFRESH_MS = 300

export type MicroscopeMode = 'heatmap' | 'histogram'

/** What the microscope needs of the lab: the run looked at, and the step that explains itself. */
export interface MicroscopeHost {
  readonly current: Run | null
  readonly paused: boolean
  readonly busy: boolean
  traceUpdate(parameter: string, index: number): Promise<UpdateTrace | null>
}

export class Microscope {
  open = $state(false)
  parameter = $state('0.weight')
  /** The view the student chose; until the run has it (state appears at the first step) `param` is shown. */
  view = $state('param')
  mode = $state<MicroscopeMode>('heatmap')
  data = $state.raw<StateView | null>(null)
  error = $state<string | null>(null)
  row = $state(0)
  col = $state(0)
  trace = $state.raw<UpdateTrace | null>(null)

  // $derived.by: the constructor's `host` is read when first needed, after construction.
  /** The parameters of the current run, from its identity table. */
  parameters = $derived.by(() => this.host.current?.identity.map((row) => ({ name: row.name, shape: row.shape })) ?? [])
  shape = $derived(this.parameters.find((p) => p.name === this.parameter)?.shape ?? null)
  grid = $derived(this.shape ? gridOf(this.shape) : null)
  /** Views offered: the engine's list for this parameter, and the chosen one even before it exists. */
  views = $derived.by(() => {
    const known = this.data?.parameter === this.parameter ? this.data.views : ['param']
    return known.includes(this.view) ? known : [...known, this.view]
  })
  /** The view actually shown: the chosen one once the run has it. */
  shownView = $derived(this.data?.parameter === this.parameter && this.data.views.includes(this.view) ? this.view : 'param')
  /** Flat index of the picked weight (row-major). */
  index = $derived(this.grid ? Math.min(this.row, this.grid.rows - 1) * this.grid.cols + Math.min(this.col, this.grid.cols - 1) : 0)
  /** The picked weight's value in the view shown, when loaded. */
  pickedValue = $derived(this.data && this.data.parameter === this.parameter ? (this.data.values[this.index] ?? null) : null)
  canTrace = $derived.by(() => this.host.paused && !this.host.busy && this.grid !== null)

  /** The run `data` came from: another run's list of views says nothing about this one's. */
  #dataRun: string | null = null
  #inFlight = false
  #again = false
  #lastAt = -Infinity
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly connection: Pick<EngineConnection, 'request'>,
    private readonly host: MicroscopeHost
  ) {}

  choose(parameter: string): void {
    if (parameter === this.parameter) return
    this.parameter = parameter
    this.row = 0
    this.col = 0
    this.trace = null
    this.refresh()
  }

  chooseView(view: string): void {
    this.view = view
    this.refresh()
  }

  pick(row: number, col: number): void {
    if (!this.grid) return
    this.row = Math.max(0, Math.min(this.grid.rows - 1, Math.trunc(row)))
    this.col = Math.max(0, Math.min(this.grid.cols - 1, Math.trunc(col)))
  }

  /** Fetch the view now, or as soon as the last fetch is answered and `REFRESH_MS` have passed. */
  refresh(): void {
    if (!this.open) return
    if (this.#inFlight) {
      this.#again = true
      return
    }
    const wait = this.#lastAt + REFRESH_MS - performance.now()
    if (wait > 0) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined
        this.refresh()
      }, wait)
      return
    }
    void this.#fetch()
  }

  /** One real step of the paused run, explained for the picked weight. */
  async stepThrough(): Promise<void> {
    if (!this.canTrace) return
    const trace = await this.host.traceUpdate(this.parameter, this.index)
    if (trace) this.trace = trace
    this.refresh()
  }

  dispose(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  async #fetch(): Promise<void> {
    const run = this.host.current
    if (!run || !run.inEngine || run.phase === 'starting') {
      this.data = null
      return
    }
    this.#inFlight = true
    this.#lastAt = performance.now()
    const parameter = this.parameter
    // The chosen view if this parameter had it last time; otherwise θ, which always exists, with the list of views.
    const known = this.data?.parameter === parameter && this.#dataRun === run.id ? this.data.views : []
    const view = known.includes(this.view) ? this.view : 'param'
    try {
      const data = await this.connection.request({ type: 'inspectState', runId: run.id, parameter, view })
      if (parameter === this.parameter) {
        this.data = data
        this.#dataRun = run.id
        this.error = null
        // The chosen view just appeared (the first step created the state): show it at once.
        if (view !== this.view && data.views.includes(this.view)) this.#again = true
      }
    } catch (error) {
      this.data = null
      this.error = error instanceof Error ? error.message : String(error)
    } finally {
      this.#inFlight = false
      if (this.#again) {
        this.#again = false
        this.refresh()
      }
    }
  }
}
