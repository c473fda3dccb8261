/**
 * Runs the student chose to keep (configuration, every loss, final weights), across restarts, and
 * the presets that came with imported lesson bundles. Kept in IndexedDB (lib/saved-runs-db.ts);
 * compared runs are drawn on the loss chart next to the live ones.
 */
import {
  lossesOf,
  makeBundle,
  parseLessonBundle,
  savedConfig,
  storedLosses,
  type SavedRun
} from '../../../src-main/shared/lesson-bundle'
import type { Preset } from '../../../src-main/shared/presets'
import type { WeightsFile } from '../../../src-main/shared/weights-file'
import { t } from '../i18n/index.svelte'
import type { ChartRun } from '../lib/loss-chart'
import type { SavedRunsDb } from '../lib/saved-runs-db'
import type { Run } from './run.svelte'

export const APP = 'optim-lab 0.1.0'
/** Saved curves take colours after the first live runs'. */
const FIRST_SAVED_COLOUR = 4

export class SavedRuns {
  runs = $state.raw<SavedRun[]>([])
  presets = $state.raw<Preset[]>([])
  /** Ids of the saved runs drawn on the loss chart. */
  compared = $state.raw<string[]>([])
  /** Why saved runs are unavailable (no IndexedDB), or null. */
  problem = $state<string | null>(null)
  readonly #losses = new Map<string, Float64Array>()

  /** The compared runs as the loss chart draws them (and its CSV export writes them). */
  chartRuns: ChartRun[] = $derived(
    this.runs
      .filter((run) => this.compared.includes(run.id))
      .map((run, k) => {
        const losses = this.#lossesOf(run)
        return {
          id: `saved:${run.id}`,
          index: FIRST_SAVED_COLOUR + k,
          label: t('saved.chartLabel', { name: run.name }),
          losses: { length: losses.length, at: (step: number) => losses[step] }
        }
      })
  )

  constructor(private readonly db: SavedRunsDb | null) {
    void this.#load()
  }

  async save(run: Run, weights: WeightsFile | null): Promise<void> {
    const saved: SavedRun = {
      id: crypto.randomUUID(),
      name: run.label,
      savedAt: new Date().toISOString(),
      config: savedConfig(run.config),
      losses: storedLosses(run.losses.values, run.losses.length),
      finalLoss: run.finalLoss !== null && Number.isFinite(run.finalLoss) ? run.finalLoss : null,
      weights
    }
    await this.#put([saved], [])
  }

  async rename(id: string, name: string): Promise<void> {
    const run = this.runs.find((r) => r.id === id)
    const trimmed = name.trim()
    if (!run || trimmed === '' || trimmed === run.name) return
    await this.#put([{ ...run, name: trimmed.slice(0, 200) }], [])
  }

  async remove(id: string): Promise<void> {
    await this.db?.remove('runs', id)
    this.runs = this.runs.filter((run) => run.id !== id)
    this.compared = this.compared.filter((c) => c !== id)
    this.#losses.delete(id)
  }

  toggleCompare(id: string, on: boolean): void {
    this.compared = on ? [...new Set([...this.compared, id])] : this.compared.filter((c) => c !== id)
  }

  /** One file with `presets` and every saved run. */
  bundleText(presets: readonly Preset[]): string {
    return JSON.stringify(makeBundle(presets, this.runs, APP))
  }

  /** Keeps a bundle's runs and presets; resolves to their counts, or rejects saying what is wrong. */
  async importBundle(text: string): Promise<{ runs: number; presets: number }> {
    const parsed = parseLessonBundle(text)
    if (!parsed.ok) throw new Error(parsed.message)
    await this.#put(parsed.bundle.runs, parsed.bundle.presets)
    return { runs: parsed.bundle.runs.length, presets: parsed.bundle.presets.length }
  }

  async #put(runs: SavedRun[], presets: Preset[]): Promise<void> {
    for (const run of runs) {
      await this.db?.put('runs', run)
      this.#losses.delete(run.id)
    }
    for (const preset of presets) await this.db?.put('presets', preset)
    const ids = new Set(runs.map((r) => r.id))
    this.runs = [...this.runs.filter((r) => !ids.has(r.id)), ...runs].sort((a, b) => a.savedAt.localeCompare(b.savedAt))
    const presetIds = new Set(presets.map((p) => p.id))
    this.presets = [...this.presets.filter((p) => !presetIds.has(p.id)), ...presets]
  }

  async #load(): Promise<void> {
    if (!this.db) return void (this.problem = 'IndexedDB is not available')
    try {
      this.runs = (await this.db.list<SavedRun>('runs')).sort((a, b) => a.savedAt.localeCompare(b.savedAt))
      this.presets = await this.db.list<Preset>('presets')
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error)
    }
  }

  #lossesOf(run: SavedRun): Float64Array {
    let losses = this.#losses.get(run.id)
    if (!losses) this.#losses.set(run.id, (losses = lossesOf(run)))
    return losses
  }
}
