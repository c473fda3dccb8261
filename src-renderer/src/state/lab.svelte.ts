/**
 * The lab's controller: the engine connection, the form, every run, and the actions behind the
 * buttons. Components read its state and call its verbs; nothing else talks to the engine.
 */
import type { RunSnapshot, UpdateTrace } from '../../../src-main/shared/protocol'
import type { WeightsFile } from '../../../src-main/shared/weights-file'
import { configForStorage, type LabConfig } from '../../../src-main/shared/config'
import { formatBytes } from '../../../src-main/shared/memory'
import { formatPythonFloat } from '../../../src-main/shared/python-format'
import { LIMITS } from '../../../src-main/shared/schema'
import { addRecentRun, defaultSettings, summarizeLosses, type RecentRun, type Settings } from '../../../src-main/shared/settings'
import type { EngineConnection } from '../engine'
import type { ProgressEvent, RunStateEvent } from '../engine/connection'
import { t } from '../i18n/index.svelte'
import { downloadText } from '../lib/download'
import { settingsStorage, type SettingsStorage } from '../lib/settings-storage'
import { ConfigForm } from './config-form.svelte'
import { Microscope } from './microscope.svelte'
import { PresetChoice } from './preset-choice.svelte'
import { Race } from './race.svelte'
import { Rungs } from './rungs.svelte'
import { Run } from './run.svelte'

export type EngineState = 'connecting' | 'ready' | 'restarting' | 'down'
export interface Notice {
  kind: 'info' | 'error'
  text: string
}

export class Lab {
  readonly form = new ConfigForm()
  /** The optimizer race, on its own chart. */
  readonly race: Race
  /** The tutorial's five rungs, on their own chart. */
  readonly rungs: Rungs
  /** The lesson preset loaded, and whether its runs match PyTorch. */
  readonly presets: PresetChoice
  /** The optimizer-state microscope of the current run. */
  readonly microscope: Microscope
  runs = $state.raw<Run[]>([])
  engine = $state<EngineState>('connecting')
  notice = $state<Notice | null>(null)
  /** A command is on its way; buttons wait for its answer. */
  busy = $state(false)
  /** What is kept across restarts: the last configuration, the chart's scale, recent runs. */
  settings = $state.raw<Settings>(defaultSettings())

  current = $derived(this.runs.at(-1) ?? null)
  running = $derived(this.current?.phase === 'running' || this.current?.phase === 'starting')
  paused = $derived(this.current?.phase === 'paused')
  canTrain = $derived(!this.busy && !this.current?.active && this.form.error === null)
  canPause = $derived(!this.busy && (this.current?.phase === 'running' || this.paused))
  canStop = $derived(!this.busy && (this.current?.phase === 'running' || this.paused))
  canStep = $derived(!this.busy && (this.paused || (!this.current?.active && this.form.error === null)))
  canExport = $derived(!this.busy && this.current !== null && this.current.inEngine && this.current.phase !== 'starting')
  canImport = $derived(!this.busy && !this.current?.active)
  logScale = $derived(this.settings.ui.logScale)

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

  constructor(
    private readonly connection: EngineConnection,
    private readonly storage: SettingsStorage = settingsStorage()
  ) {
    this.race = new Race(connection, this.form)
    this.rungs = new Rungs(connection)
    this.presets = new PresetChoice(this)
    this.microscope = new Microscope(connection, this)
    void this.#loadSettings()
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

  /** Step for one weight: the very step `step()` takes on a paused run, answered with its algorithm box. */
  async traceUpdate(parameter: string, index: number): Promise<UpdateTrace | null> {
    const run = this.current
    if (!run || !this.paused || this.busy) return null
    let trace: UpdateTrace | null = null
    await this.#act(async () => {
      const result = await this.connection.request({ type: 'traceUpdate', runId: run.id, parameter, index })
      run.addLosses(result.step - 1, [result.loss])
      trace = result
      await this.#refreshIdentity(run)
    })
    return trace
  }

  /** The run's current weights, for views that draw the model (the decision boundary); null once it left the engine. */
  async weightsOf(run: Run): Promise<WeightsFile | null> {
    if (!run.inEngine || run.phase === 'starting') return null
    try {
      return await this.connection.request({ type: 'exportWeights', runId: run.id })
    } catch {
      return null // disposed or lost meanwhile: the last picture stays
    }
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

  /**
   * A weights file becomes a paused run: the engine checks everything in it first, and a file it
   * refuses changes nothing here (no run, the form as it was), only a notice saying why.
   */
  async importWeights(name: string, text: string): Promise<void> {
    if (!this.canImport) return
    const runId = crypto.randomUUID()
    await this.#act(async () => {
      let imported
      try {
        imported = await this.connection.request({ type: 'importWeights', runId, config: this.form.config, text })
      } catch (error) {
        this.notice = { kind: 'error', text: t('error.import', { file: name, message: error instanceof Error ? error.message : String(error) }) }
        return
      }
      const run = new Run(runId, this.#nextIndex++, imported.config)
      run.phase = 'paused'
      this.#applySnapshot(run, imported)
      this.runs = [...this.runs, run]
      this.form.apply(imported.config)
      const optimizer = imported.config.optimizer
      this.notice = {
        kind: 'info',
        text: imported.resumed
          ? t('import.resumed', { file: name, optimizer, steps: imported.fileSteps })
          : t('import.weightsOnly', { file: name, optimizer })
      }
    })
  }

  /** Electron: the native open dialog (main refuses a file above the size limit before reading it). */
  async importFromDialog(): Promise<void> {
    const desktop = window.optimLab
    if (!desktop || !this.canImport) return
    let picked: { name: string; text: string } | null
    try {
      picked = await desktop.openWeights()
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).replace(/^Error invoking remote method '[^']+': (\w+: )?/, '')
      this.notice = { kind: 'error', text: t('error.import', { file: '', message }) }
      return
    }
    if (picked) await this.importWeights(picked.name, picked.text)
  }

  /** Web mode: a File from the file input; too large a file is refused before it is read. */
  async importFile(file: { name: string; size: number; text(): Promise<string> }): Promise<void> {
    if (file.size > LIMITS.maxWeightsChars) {
      this.notice = { kind: 'error', text: t('import.tooLarge', { file: file.name, size: formatBytes(file.size), limit: formatBytes(LIMITS.maxWeightsChars) }) }
      return
    }
    let text: string
    try {
      text = await file.text()
    } catch (error) {
      this.notice = { kind: 'error', text: t('error.import', { file: file.name, message: String(error) }) }
      return
    }
    await this.importWeights(file.name, text)
  }

  setLogScale(on: boolean): void {
    if (on !== this.settings.ui.logScale) this.#saveSettings({ ...this.settings, ui: { ...this.settings.ui, logScale: on } })
  }

  /** Fills the form with a recent run's configuration. */
  useRecentRun(recent: RecentRun): void {
    if (!this.current?.active) this.form.apply(recent.config)
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
    this.race.dispose()
    this.rungs.dispose()
    this.microscope.dispose()
    this.connection.dispose()
  }

  async #loadSettings(): Promise<void> {
    try {
      const loaded = await this.storage.load()
      this.settings = loaded.settings
      if (loaded.settings.lastConfig && this.runs.length === 0) this.form.apply(loaded.settings.lastConfig)
      if (loaded.problem) {
        const moved = loaded.problem.movedTo ? t('storage.movedTo', { path: loaded.problem.movedTo }) : ''
        this.notice = { kind: 'error', text: t('storage.unreadable', { reason: loaded.problem.reason, moved }) }
      }
    } catch (error) {
      this.notice = { kind: 'error', text: t('storage.unreadable', { reason: String(error), moved: '' }) }
    }
  }

  #saveSettings(next: Settings): void {
    this.settings = next
    this.storage.save(next).catch((error: unknown) => {
      this.notice = { kind: 'error', text: t('storage.saveFailed', { message: error instanceof Error ? error.message : String(error) }) }
    })
  }

  #remember(run: Run): void {
    if (run.phase !== 'finished' && run.phase !== 'stopped' && run.phase !== 'failed') return
    const recent: RecentRun = {
      id: run.id,
      endedAt: new Date().toISOString(),
      status: run.phase,
      config: configForStorage(run.config),
      steps: run.step,
      losses: summarizeLosses(run.losses.values, run.losses.length, run.finalLoss)
    }
    this.#saveSettings({ ...this.settings, recentRuns: addRecentRun(this.settings.recentRuns, recent) })
  }

  async #start(paused: boolean): Promise<Run> {
    const config: LabConfig = this.form.config
    this.#saveSettings({ ...this.settings, lastConfig: configForStorage(config) })
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
    this.#find(event.runId)?.addLosses(event.fromStep, event.losses, event.lrs)
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
    this.#remember(run)
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
    run.recordGradients(snapshot.step, snapshot.parameters)
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
