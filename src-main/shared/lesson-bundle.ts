/**
 * A lesson bundle: one JSON file a teacher hands out, holding lesson presets and saved runs (their
 * configuration, every step's loss and the final weights). The renderer keeps saved runs in the
 * same shape (IndexedDB); import checks everything before anything is kept: the format, each
 * preset (presets.ts), each run's configuration (the shared schema) and its weights against that
 * configuration (weights-import.ts), and says which entry is wrong.
 */
import { configForStorage, type LabConfig } from './config'
import { parsePreset, type Preset } from './presets'
import { LIMITS, LabConfigSchema, describeProblem, parseWith } from './schema'
import { WeightsImportError, readWeightsFile } from './weights-import'
import type { WeightsFile } from './weights-file'

export const BUNDLE_FORMAT = 'optim-lab/lesson-bundle'
export const BUNDLE_VERSION = 1
export const MAX_BUNDLE_RUNS = 200
export const MAX_BUNDLE_CHARS = 512 * 1024 * 1024

export interface SavedRun {
  id: string
  /** What the student called it (starts as the run's label). */
  name: string
  /** ISO 8601 time it was saved. */
  savedAt: string
  config: LabConfig
  /** loss[t] for every step; null where it was not finite (JSON has no nan). */
  losses: (number | null)[]
  /** Loss after the last update, when known. */
  finalLoss: number | null
  /** The weights at the end (optimizer state included), or null when they were not available. */
  weights: WeightsFile | null
}

export interface LessonBundle {
  format: typeof BUNDLE_FORMAT
  version: typeof BUNDLE_VERSION
  /** ISO 8601 time it was made. */
  created: string
  app: string
  presets: Preset[]
  runs: SavedRun[]
}

export function makeBundle(presets: readonly Preset[], runs: readonly SavedRun[], app: string, now = new Date()): LessonBundle {
  return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, created: now.toISOString(), app, presets: [...presets], runs: [...runs] }
}

/** The losses as a run holds them: null (not finite in the file) becomes NaN. */
export function lossesOf(run: Pick<SavedRun, 'losses'>): Float64Array {
  return Float64Array.from(run.losses, (x) => (x === null ? NaN : x))
}

/** Losses as a bundle stores them. */
export function storedLosses(values: ArrayLike<number>, count = values.length): (number | null)[] {
  return Array.from({ length: count }, (_, t) => (Number.isFinite(values[t]) ? values[t] : null))
}

export type ParsedBundle = { ok: true; bundle: LessonBundle } | { ok: false; message: string }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function parseRun(value: unknown, where: string): SavedRun | string {
  if (!isRecord(value)) return `${where}: must be an object`
  for (const key of ['id', 'name', 'savedAt'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '' || (value[key] as string).length > 500) return `${where}.${key}: must be a non-empty string`
  }
  const config = parseWith(LabConfigSchema, value.config, `${where}.config`)
  if (!config.ok) return describeProblem(config)
  const losses = value.losses
  if (!Array.isArray(losses) || losses.length > LIMITS.maxSteps || !losses.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))) {
    return `${where}.losses: must be a list of numbers (null for a loss that was not finite)`
  }
  const finalLoss = value.finalLoss ?? null
  if (finalLoss !== null && (typeof finalLoss !== 'number' || !Number.isFinite(finalLoss))) return `${where}.finalLoss: must be a number or null`
  let weights: WeightsFile | null = null
  if (value.weights !== null && value.weights !== undefined) {
    try {
      weights = readWeightsFile(JSON.stringify(value.weights), config.value).file
    } catch (error) {
      if (error instanceof WeightsImportError) return `${where}.weights: ${error.message}`
      throw error
    }
  }
  return { id: value.id as string, name: value.name as string, savedAt: value.savedAt as string, config: config.value, losses, finalLoss, weights }
}

export function parseLessonBundle(text: string): ParsedBundle {
  const fail = (message: string): ParsedBundle => ({ ok: false, message })
  if (text.length > MAX_BUNDLE_CHARS) return fail(`it is ${text.length} characters long, more than the ${MAX_BUNDLE_CHARS} allowed`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return fail('it is not JSON')
  }
  if (!isRecord(value)) return fail('a lesson bundle is a JSON object')
  if (value.format !== BUNDLE_FORMAT) return fail(`format: must be "${BUNDLE_FORMAT}"`)
  if (value.version !== BUNDLE_VERSION) return fail(`version: must be ${BUNDLE_VERSION}`)
  if (!Array.isArray(value.presets) || !Array.isArray(value.runs)) return fail('presets and runs: must be lists')
  if (value.runs.length > MAX_BUNDLE_RUNS) return fail(`runs: at most ${MAX_BUNDLE_RUNS}, got ${value.runs.length}`)
  const presets: Preset[] = []
  for (const [i, raw] of value.presets.entries()) {
    const parsed = parsePreset(raw)
    if (!parsed.ok) return fail(`presets[${i}]: ${parsed.message}`)
    presets.push(parsed.preset)
  }
  const runs: SavedRun[] = []
  for (const [i, raw] of value.runs.entries()) {
    const run = parseRun(raw, `runs[${i}]`)
    if (typeof run === 'string') return fail(run)
    runs.push(run)
  }
  const short = (x: unknown): string => (typeof x === 'string' ? x.slice(0, 200) : '')
  return { ok: true, bundle: { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, created: short(value.created), app: short(value.app), presets, runs } }
}

/** A saved run's configuration as kept (a large CSV left out, as in settings). */
export function savedConfig(config: LabConfig): LabConfig {
  return configForStorage(config)
}
