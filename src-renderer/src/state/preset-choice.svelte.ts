/**
 * The chosen lesson preset: loading it fills the form (and, for a race, the lanes), and once a run
 * of exactly that configuration has finished, its curve is checked against PyTorch's reference.
 */
import { compareCurves, type CurveVerdict } from '../../../src-main/shared/parity'
import { rungConfigOf } from '../../../src-main/shared/presets'
import { PRESETS, type LoadedPreset } from '../lib/presets'
import type { Lab } from './lab.svelte'
import { laneConfig } from './race.svelte'
import type { Run } from './run.svelte'

export interface LaneVerdict {
  label: string
  verdict: CurveVerdict
}

const key = (value: unknown): string => JSON.stringify(value)

function verdictOf(run: Run, losses: number[] | undefined): CurveVerdict | null {
  if (!losses || run.phase !== 'finished' || run.losses.length < losses.length) return null
  return compareCurves(Array.from({ length: losses.length }, (_, t) => run.losses.at(t)), losses, run.config.optimizer)
}

export class PresetChoice {
  readonly presets = PRESETS
  chosen = $state.raw<LoadedPreset | null>(null)
  /** The form's configuration right after loading the preset: a run of it is a preset run. */
  #configKey = $state<string | null>(null)
  #laneKeys = $state.raw<string[]>([])

  constructor(private readonly lab: Lab) {}

  /** "Matches PyTorch" verdicts for finished runs of the chosen preset (one per lane for a race). */
  get verdicts(): LaneVerdict[] {
    const chosen = this.chosen
    if (!chosen?.reference) return []
    if (chosen.preset.kind === 'rungs') return this.#rungVerdicts(chosen.reference.runs[0]?.losses)
    const runs = chosen.preset.kind === 'race' ? this.lab.race.runs : this.lab.runs
    const out: LaneVerdict[] = []
    for (const run of runs) {
      const lane = chosen.preset.kind === 'race' ? this.#laneKeys.indexOf(key(run.config)) : key(run.config) === this.#configKey ? 0 : -1
      if (lane < 0) continue
      const verdict = verdictOf(run, chosen.reference.runs[lane]?.losses)
      if (verdict) out.push({ label: run.label, verdict })
    }
    return out
  }

  choose(id: string): void {
    const chosen = this.presets.find((p) => p.preset.id === id) ?? null
    this.chosen = chosen
    if (!chosen) return
    const { preset } = chosen
    this.lab.form.apply(preset.config)
    this.#configKey = key(this.lab.form.config)
    if (preset.kind === 'race' && preset.lanes) {
      this.lab.race.usePreset(preset.lanes.map((lane) => ({ ...lane })))
      this.#laneKeys = preset.lanes.map((lane) => key(laneConfig(this.lab.form.config, lane)))
    } else this.#laneKeys = []
    if (preset.kind === 'rungs') this.lab.rungs.usePreset(rungConfigOf(preset.config))
  }

  /** Each rung of finished rungs of exactly the preset's configuration, against PyTorch's SGD curve. */
  #rungVerdicts(losses: number[] | undefined): LaneVerdict[] {
    const { rungs } = this.lab
    const chosen = this.chosen
    if (!losses || !chosen || rungs.phase !== 'finished' || key(rungs.ran) !== key(rungConfigOf(chosen.preset.config))) return []
    return rungs.curves.map((curve) => ({
      label: curve.label,
      verdict: compareCurves(Array.from({ length: curve.losses.length }, (_, t) => curve.losses.at(t)), losses, 'SGD')
    }))
  }
}
