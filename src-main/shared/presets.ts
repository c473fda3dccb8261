/**
 * Lesson presets (resources/presets/*.json, format in resources/presets/README.md): a configuration
 * to load into the form, a race's lanes, or the five rungs' net, and optionally PyTorch's reference curves to check a
 * finished run against. Checked here before the app uses one.
 */
import type { RungConfig } from '../engine/lesson/rungs'
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
  /** `rungs`: the tutorial's five rungs, on `config`'s net and lr (see `rungConfigOf`). */
  kind: 'run' | 'race' | 'rungs'
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
  if (value.kind !== 'run' && value.kind !== 'race' && value.kind !== 'rungs') return fail('kind: must be "run", "race" or "rungs"')
  const config = parseWith(LabConfigSchema, value.config, 'config')
  if (!config.ok) return fail(describeProblem(config))
  if (value.kind === 'rungs') {
    const problem = rungsProblem(config.value)
    if (problem) return fail(problem)
  }
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

/**
 * What the five rungs can train: the series' net (one hidden layer, ReLU, MSELoss(reduction="sum"),
 * float32, the lesson's randn data) and plain gradient descent, `torch.optim.SGD` with `lr` only.
 */
function rungsProblem(config: LabConfig): string | null {
  if (config.hidden.length !== 1) return 'config.hidden: the five rungs have one hidden layer ([H])'
  const fixed = { activation: 'relu', reduction: 'sum', dtype: 'float32', optimizer: 'SGD' } as const
  for (const [key, want] of Object.entries(fixed)) {
    if (config[key as keyof typeof fixed] !== want) return `config.${key}: the five rungs use ${JSON.stringify(want)}`
  }
  const extra = Object.keys(config.hyper).find((key) => key !== 'lr')
  if (extra !== undefined) return `config.hyper.${extra}: the five rungs do plain gradient descent (lr only)`
  for (const key of ['paramGroups', 'groupHyper', 'scheduler', 'zeroGrad'] as const) {
    if (config[key] !== undefined) return `config.${key}: not part of the five rungs`
  }
  if (config.data !== undefined && config.data.kind !== 'randn') return 'config.data: the five rungs train on the lesson\'s randn data'
  if (config.loss !== undefined && config.loss !== 'mse') return 'config.loss: the five rungs use "mse"'
  if (config.steps < 1 || config.steps > LIMITS.maxRungSteps) return `config.steps: the five rungs take 1 to ${LIMITS.maxRungSteps} steps`
  return null
}

/** The five rungs' configuration of a `kind: "rungs"` preset's config. */
export function rungConfigOf(config: LabConfig): RungConfig {
  return { seed: config.seed, n: config.n, dIn: config.dIn, hidden: config.hidden[0], dOut: config.dOut, lr: config.hyper.lr, steps: config.steps }
}
