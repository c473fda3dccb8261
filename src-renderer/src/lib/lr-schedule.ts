/**
 * The learning rate over a run, before it starts (the preview, stepped by the engine's own
 * scheduler classes on stand-in parameters) and the steps where it changes (the preview's
 * readable caption, and what a screen reader is told).
 */
import type { LabConfig } from '../../../src-main/shared/config'
import { previewLrs } from '../../../src-main/engine/train/optimizer-setup'

/** Steps previewed at most; a longer run's preview covers its beginning. */
export const PREVIEW_MAX_STEPS = 50_000

/** A series read by step, as LossSeries and Float64Array are. */
export interface Series {
  length: number
  at(step: number): number
}

export type SchedulePreview =
  /** `lrs[g][t]`: the lr param group g uses for update t. */
  | { kind: 'lrs'; lrs: Float64Array[]; truncated: boolean }
  /** ReduceLROnPlateau reacts to the losses, which do not exist before training. */
  | { kind: 'plateau' }
  | { kind: 'error'; message: string }

export function previewSchedule(config: LabConfig, maxSteps = PREVIEW_MAX_STEPS): SchedulePreview {
  if (config.scheduler?.kind === 'ReduceLROnPlateau') return { kind: 'plateau' }
  const steps = Math.min(config.steps, maxSteps)
  let byStep: number[][]
  try {
    byStep = previewLrs(config, steps)
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) }
  }
  const groups = byStep[0]?.length ?? 0
  const lrs = Array.from({ length: groups }, (_, g) => Float64Array.from(byStep, (step) => step[g]))
  return { kind: 'lrs', lrs, truncated: config.steps > steps }
}

export interface LrChange {
  step: number
  /** Every group's lr from this step on. */
  lrs: number[]
}

/**
 * Step 0 and every step where some group's lr differs from the step before, the first `limit` of
 * them; `total` counts them all.
 */
export function lrChanges(groups: readonly Series[], limit = 8): { rows: LrChange[]; total: number } {
  const steps = Math.min(...groups.map((series) => series.length))
  const rows: LrChange[] = []
  let total = 0
  for (let t = 0; groups.length > 0 && t < steps; t++) {
    if (t > 0 && groups.every((series) => series.at(t) === series.at(t - 1))) continue
    total++
    if (rows.length < limit) rows.push({ step: t, lrs: groups.map((series) => series.at(t)) })
  }
  return { rows, total }
}

/** A Float64Array as a Series. */
export function seriesOf(values: Float64Array): Series {
  return { length: values.length, at: (step) => values[step] }
}
