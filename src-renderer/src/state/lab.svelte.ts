/**
 * The lab's controller: the engine connection, the form, every run, and the actions behind the
 * buttons. Components read its state and call its verbs; nothing else talks to the engine.
 */
import type { RunSnapshot } from '../../../src-main/shared/protocol'
import type { WeightsFile } from '../../../src-main/shared/weights-file'
import { formatPythonFloat } from '../../../src-main/shared/python-format'
import type { EngineConnection } from '../engine'
import type { ProgressEvent, RunStateEvent } from '../engine/connection'
import { t } from '../i18n/index.svelte'
import { downloadText } from '../lib/download'
import { ConfigForm } from './config-form.svelte'
import { Run } from './run.svelte'

export type EngineState = 'connecting' | 'ready' | 'restarting' | 'down'
export interface Notice {
  kind: 'info' | 'error'
  text: string
}

export class Lab {
  readonly form = new ConfigForm()
  runs = $state.raw<Run[]>([])
  engine = $state<EngineState>('connecting')
  notice = $state<Notice | null>(null)
  /** A command is on its way; buttons wait for its answer. */
  busy = $state(false)

  current = $derived(this.runs.at(-1) ?? null)
  running = $derived(this.current?.phase === 'running' || this.current?.phase === 'starting')
  paused = $derived(this.current?.phase === 'paused')
  canTrain = $derived(!this.busy && !this.current?.active && this.form.error === null)
  canPause = $derived(!this.busy && (this.current?.phase === 'running' || this.paused))
  canStop = $derived(!this.busy && (this.current?.phase === 'running' || this.paused))
  canStep = $derived(!this.busy && (this.paused || (!this.current?.active && this.form.error === null)))
  canExport = $derived(!this.busy && this.current !== null && this.current.inEngine && this.current.phase !== 'starting')

  /** The role="status" line: `step t/T · loss X`, X as Python prints the float. */
  statusText = $derived.by(() => {
    const run = this.current
    if (!run) return t('status.idle', { total: this.form.steps })
    const loss = run.latestLoss
    return t('status.progress', {
      step: run.step,
      total: run.totalSteps,
      loss: loss === null ? t('status.noLoss') : formatPythonFloat(loss)
    })
  })

  #nextIndex = 1
  /** Why the engine last crashed, until a new one answers. */
  #crashReason: string | null = null
  readonly #cleanups: (() => void)[]

  constructor(private readonly connection: EngineConnection) {
    this.#cleanups = [
      connection.onProgress((event) => this.#onProgress(event)),
      connection.onRunState((event) => this.#onRunState(event)),
      connection.onLifecycle((event) => {
        if (event.type === 'engineReady') {
          if (this.#crashReason !== null) {
            this.notice = { kind: 'error', text: t('engine.reconnected', { reason: this.#crashReason }) }
            this.#crashReason = null
          }
          this.engine = 'ready'
        } else {
          this.engine = event.restarting ? 'restarting' : 'down'
          this.#crashReason = event.reason
          this.busy = false
          this.#forgetEngineRuns()
          const key = event.restarting ? 'engine.crashed' : 'engine.down'
          this.notice = { kind: 'error', text: t(key, { reason: event.reason }) }
        }
      })
    ]
  }

  async train(): Promise<void> {
    if (this.canTrain) await this.#act(async () => void (await this.#start(false)))
  }

  async togglePause(): Promise<void> {
    const run = this.current
    if (!run || !this.canPause) return
    await this.#act(async () => {
      const type = run.phase === 'paused' ? 'resumeRun' : 'pauseRun'
      const { step } = await this.connection.request({ type, runId: run.id })
      run.step = Math.max(run.step, step)
      run.phase = type === 'pauseRun' ? 'paused' : 'running'
      if (type === 'pauseRun') await this.#refreshIdentity(run)
    })
  }

  async stop(): Promise<void> {
    const run = this.current
    if (!run || !this.canStop) return
    await this.#act(async () => {
      const { step } = await this.connection.request({ type: 'stopRun', runId: run.id })
      run.step = Math.max(run.step, step)
      if (run.active) run.phase = 'stopped'
    })
  }

  /** One zero_grad → forward → backward → step; from idle, first starts a paused run. */
  async step(): Promise<void> {
    if (!this.canStep) return
    await this.#act(async () => {
      const run = this.paused && this.current ? this.current : await this.#start(true)
      const { step, loss } = await this.connection.request({ type: 'stepRun', runId: run.id })
      run.addLosses(step - 1, [loss])
      await this.#refreshIdentity(run)
    })
  }

  async exportWeights(): Promise<void> {
    const run = this.current
    if (!run || !this.canExport) return
    await this.#act(async () => {
      const file: WeightsFile = await this.connection.request({ type: 'exportWeights', runId: run.id })
      const name = `optim-lab-${run.config.optimizer.toLowerCase()}-seed${run.config.seed}-step${file.meta.steps}.json`
      const contents = JSON.stringify(file)
      const desktop = window.optimLab
      if (desktop) {
        const path = await desktop.saveWeights(name, contents)
        if (path) this.notice = { kind: 'info', text: t('export.saved', { path }) }
      } else {
        downloadText(name, contents, 'application/json')
        this.notice = { kind: 'info', text: t('export.downloaded', { file: name }) }
      }
    }, 'error.export')
  }

  clearRuns(): void {
    for (const run of this.runs) {
      if (run.inEngine) this.connection.request({ type: 'disposeRun', runId: run.id }).catch(() => undefined)
    }
    this.runs = []
    this.notice = null
  }

  dispose(): void {
    this.#cleanups.forEach((cleanup) => cleanup())
    this.connection.dispose()
  }

  async #start(paused: boolean): Promise<Run> {
    const config = this.form.config
    const run = new Run(crypto.randomUUID(), this.#nextIndex++, config)
    this.runs = [...this.runs, run]
    this.notice = null
    try {
      const snapshot = await this.connection.request({ type: 'startRun', runId: run.id, config, paused })
      this.#applySnapshot(run, snapshot)
      if (run.phase === 'starting') run.phase = paused ? 'paused' : 'running'
      return run
    } catch (error) {
      run.phase = 'failed'
      run.inEngine = false
      throw error
    }
  }

  async #act(action: () => Promise<void>, messageKey: 'error.prefix' | 'error.export' = 'error.prefix'): Promise<void> {
    this.busy = true
    try {
      await action()
    } catch (error) {
      this.notice = { kind: 'error', text: t(messageKey, { message: error instanceof Error ? error.message : String(error) }) }
    } finally {
      this.busy = false
    }
  }

  #onProgress(event: ProgressEvent): void {
    this.#find(event.runId)?.addLosses(event.fromStep, event.losses)
  }

  #onRunState(event: RunStateEvent): void {
    const run = this.#find(event.runId)
    if (!run) return
    run.phase = event.status
    run.step = Math.max(run.step, event.step)
    run.totalSteps = event.totalSteps
    if (event.finalLoss !== undefined) run.finalLoss = event.finalLoss
    if (event.message) {
      run.message = event.message
      this.notice = { kind: 'error', text: event.message }
    }
    if (event.status !== 'running') void this.#refreshIdentity(run)
  }

  async #refreshIdentity(run: Run): Promise<void> {
    if (!run.inEngine) return
    try {
      this.#applySnapshot(run, await this.connection.request({ type: 'inspectRun', runId: run.id }))
    } catch {
      // The run may have been disposed meanwhile; its last table stays.
    }
  }

  #applySnapshot(run: Run, snapshot: RunSnapshot): void {
    run.identity = snapshot.identity
    run.totalSteps = snapshot.totalSteps
    run.step = Math.max(run.step, snapshot.step)
  }

  #forgetEngineRuns(): void {
    for (const run of this.runs) {
      run.inEngine = false
      if (run.active) run.phase = 'lost'
    }
  }

  #find(runId: string): Run | undefined {
    return this.runs.find((run) => run.id === runId)
  }
}
