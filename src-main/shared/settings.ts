/**
 * What the lab remembers across restarts: the last configuration, a few UI preferences and the
 * recent runs (configuration + a summary of their losses). Electron keeps it in the user data
 * folder (main/settings-store.ts), web mode in localStorage (renderer/lib/web-settings.ts); both
 * read it through `parseSettings`, and both move an unreadable copy aside and start from defaults.
 */
import * as v from 'valibot'
import type { LabConfig } from './config'
import { LabConfigSchema, describeProblem, parseWith, show } from './schema'

export const SETTINGS_VERSION = 1
export const MAX_RECENT_RUNS = 20
/** A settings file is small; anything larger is not ours. */
export const MAX_SETTINGS_CHARS = 4 * 1024 * 1024

export const LANGUAGES = ['auto', 'en', 'zh-CN'] as const
export type Language = (typeof LANGUAGES)[number]

export interface UiPreferences {
  /** The loss chart's y axis. */
  logScale: boolean
  /** 'auto' follows the OS locale. */
  language: Language
}

/** A loss summary; null where there was no (finite) value. */
export interface LossSummary {
  first: number | null
  last: number | null
  min: number | null
  /** Loss after the last update, when the run reported it. */
  final: number | null
}

export interface RecentRun {
  id: string
  /** ISO 8601 time the run ended. */
  endedAt: string
  status: 'finished' | 'stopped' | 'failed'
  config: LabConfig
  /** Updates applied. */
  steps: number
  losses: LossSummary
}

export interface Settings {
  version: typeof SETTINGS_VERSION
  lastConfig: LabConfig | null
  ui: UiPreferences
  /** Newest first, at most MAX_RECENT_RUNS. */
  recentRuns: RecentRun[]
}

/** The result of loading: the settings to use, and what to tell the student if the copy was bad. */
export interface LoadedSettings {
  settings: Settings
  /** Why the stored copy was not used, and where it was moved (null when nothing was wrong). */
  problem: { reason: string; movedTo: string | null } | null
}

export function defaultSettings(): Settings {
  return { version: SETTINGS_VERSION, lastConfig: null, ui: { logScale: false, language: 'auto' }, recentRuns: [] }
}

const finiteOrNull = v.nullable(v.pipe(v.number(), v.finite()))

const RecentRunSchema = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  endedAt: v.pipe(v.string(), v.isoTimestamp()),
  status: v.picklist(['finished', 'stopped', 'failed']),
  config: LabConfigSchema,
  steps: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  losses: v.strictObject({ first: finiteOrNull, last: finiteOrNull, min: finiteOrNull, final: finiteOrNull })
})

export const SettingsSchema = v.strictObject({
  version: v.literal(SETTINGS_VERSION, (issue) => `must be ${SETTINGS_VERSION}, got ${show(issue.input)}`),
  lastConfig: v.nullable(LabConfigSchema),
  ui: v.strictObject({
    logScale: v.boolean(),
    language: v.picklist(LANGUAGES)
  }),
  recentRuns: v.pipe(v.array(RecentRunSchema), v.maxLength(MAX_RECENT_RUNS))
})

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const assertType = <T extends true>(): T => true as T
assertType<Same<v.InferOutput<typeof SettingsSchema>, Settings>>()

/** Settings from a stored text, or why it cannot be used. */
export function parseSettings(text: string): { ok: true; settings: Settings } | { ok: false; reason: string } {
  if (text.length > MAX_SETTINGS_CHARS) return { ok: false, reason: `it is larger than ${MAX_SETTINGS_CHARS} characters` }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'it is not valid JSON' }
  }
  const parsed = parseWith(SettingsSchema, value)
  if (!parsed.ok) return { ok: false, reason: describeProblem(parsed) }
  return { ok: true, settings: parsed.value }
}

/** Checks settings about to be written (they come from the renderer). */
export function validateSettings(value: unknown): Settings {
  const parsed = parseWith(SettingsSchema, value, 'settings')
  if (!parsed.ok) throw new TypeError(describeProblem(parsed))
  return parsed.value
}

/** The summary kept for a recent run: first, last and lowest loss, the final one if reported. */
export function summarizeLosses(losses: ArrayLike<number>, count: number, finalLoss: number | null): LossSummary {
  const finite = (x: number | undefined | null): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null)
  let min: number | null = null
  for (let i = 0; i < count; i++) {
    const value = losses[i]
    if (Number.isFinite(value) && (min === null || value < min)) min = value
  }
  return { first: count > 0 ? finite(losses[0]) : null, last: count > 0 ? finite(losses[count - 1]) : null, min, final: finite(finalLoss) }
}

/** `runs` with `run` in front, without an older entry of the same id, at most MAX_RECENT_RUNS. */
export function addRecentRun(runs: readonly RecentRun[], run: RecentRun): RecentRun[] {
  return [run, ...runs.filter((r) => r.id !== run.id)].slice(0, MAX_RECENT_RUNS)
}
