/**
 * Lesson presets (resources/presets/*.json, format in resources/presets/README.md): a configuration
 * to load into the form, or a race's lanes, and optionally PyTorch's reference curves to check a
 * finished run against. Checked here before the app uses one.
 */
import { OPTIMIZER_NAMES, type LabConfig, type OptimizerName } from './config'
import { LIMITS, LabConfigSchema, describeProblem, parseWith } from './schema'

export const PRESET_FORMAT = 'optim-lab-preset'
export const PRESET_VERSION = 1

export interface PresetLane {
  optimizer: OptimizerName
  lr: number
  /** SGD's momentum (ignored by the other optimizers). */
  momentum: number
}

export interface Preset {
  format: typeof PRESET_FORMAT
  version: typeof PRESET_VERSION
  id: string
  title: string
  description: string
  kind: 'run' | 'race'
  config: LabConfig
  /** For `kind: "race"`: the lanes (the config supplies network, data, seed and steps). */
  lanes?: PresetLane[]
  /** Path of the reference curves, relative to the presets folder. */
  reference?: string
}

/** PyTorch's curves for a preset: one run per lane (one for a plain run), in the preset's order. */
export interface PresetReference {
  preset: string
  torch: string
  runs: { optimizer: OptimizerName; hyper: Record<string, unknown>; losses: number[] }[]
}

export type ParsedPreset = { ok: true; preset: Preset } | { ok: false; message: string }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const KEYS = ['format', 'version', 'id', 'title', 'description', 'kind', 'config', 'lanes', 'reference']

/** A preset from untrusted JSON, or the first problem, naming its field. */
export function parsePreset(value: unknown): ParsedPreset {
  const fail = (message: string): ParsedPreset => ({ ok: false, message })
  if (!isRecord(value)) return fail('a preset must be a JSON object')
  const extra = Object.keys(value).find((key) => !KEYS.includes(key))
  if (extra !== undefined) return fail(`${extra}: is not a preset field (the fields are ${KEYS.join(', ')})`)
  if (value.format !== PRESET_FORMAT) return fail(`format: must be "${PRESET_FORMAT}"`)
  if (value.version !== PRESET_VERSION) return fail(`version: must be ${PRESET_VERSION}`)
  for (const key of ['id', 'title', 'description'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') return fail(`${key}: must be a non-empty string`)
  }
  if (!/^[a-z0-9-]+$/.test(value.id as string)) return fail('id: must use a-z, 0-9 and -')
  if (value.kind !== 'run' && value.kind !== 'race') return fail('kind: must be "run" or "race"')
  const config = parseWith(LabConfigSchema, value.config, 'config')
  if (!config.ok) return fail(describeProblem(config))
  if (value.kind === 'race') {
    const lanes = value.lanes
    if (!Array.isArray(lanes) || lanes.length < 1 || lanes.length > LIMITS.maxRaceLanes) {
      return fail(`lanes: a race needs 1 to ${LIMITS.maxRaceLanes} lanes`)
    }
    for (const [i, lane] of lanes.entries()) {
      if (!isRecord(lane)) return fail(`lanes[${i}]: must be an object`)
      if (!(OPTIMIZER_NAMES as readonly unknown[]).includes(lane.optimizer)) return fail(`lanes[${i}].optimizer: must be one of ${OPTIMIZER_NAMES.join(', ')}`)
      for (const key of ['lr', 'momentum'] as const) {
        if (typeof lane[key] !== 'number' || !Number.isFinite(lane[key]) || (lane[key] as number) < 0) return fail(`lanes[${i}].${key}: must be a number ≥ 0`)
      }
    }
  } else if (value.lanes !== undefined) return fail('lanes: only a race has lanes')
  if (value.reference !== undefined && (typeof value.reference !== 'string' || !/^references\/[a-z0-9-]+\.json$/.test(value.reference))) {
    return fail('reference: must be "references/<name>.json"')
  }
  return { ok: true, preset: { ...(value as unknown as Preset), config: config.value } }
}
