/**
 * The lesson presets shipped in resources/presets, bundled at build time (no runtime fetch), each
 * checked by the shared preset parser; a preset that fails is left out with a console warning.
 */
import { parsePreset, type Preset, type PresetReference } from '../../../src-main/shared/presets'
import tutorial from '../../../resources/presets/tutorial.json'
import optimizerRace from '../../../resources/presets/optimizer-race.json'
import sumVsMean from '../../../resources/presets/sum-vs-mean.json'
import zeroGradMistake from '../../../resources/presets/zero-grad-mistake.json'
import fiveRungs from '../../../resources/presets/five-rungs.json'
import tutorialReference from '../../../resources/presets/references/tutorial.json'
import optimizerRaceReference from '../../../resources/presets/references/optimizer-race.json'
import sumVsMeanReference from '../../../resources/presets/references/sum-vs-mean.json'
import zeroGradMistakeReference from '../../../resources/presets/references/zero-grad-mistake.json'
import fiveRungsReference from '../../../resources/presets/references/five-rungs.json'

const REFERENCES: Record<string, unknown> = {
  'references/tutorial.json': tutorialReference,
  'references/optimizer-race.json': optimizerRaceReference,
  'references/sum-vs-mean.json': sumVsMeanReference,
  'references/zero-grad-mistake.json': zeroGradMistakeReference,
  'references/five-rungs.json': fiveRungsReference
}

export interface LoadedPreset {
  preset: Preset
  reference: PresetReference | null
}

export function loadPresets(raw: unknown[] = [tutorial, optimizerRace, sumVsMean, zeroGradMistake, fiveRungs]): LoadedPreset[] {
  const loaded: LoadedPreset[] = []
  for (const value of raw) {
    const parsed = parsePreset(value)
    if (!parsed.ok) {
      console.warn(`Preset left out: ${parsed.message}`)
      continue
    }
    const reference = parsed.preset.reference ? ((REFERENCES[parsed.preset.reference] as PresetReference | undefined) ?? null) : null
    loaded.push({ preset: parsed.preset, reference })
  }
  return loaded
}

export const PRESETS: readonly LoadedPreset[] = loadPresets()
