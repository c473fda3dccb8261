/**
 * Structural checks of a configuration's param groups and learning-rate scheduler, shared by the
 * CLI, the engine host and the renderer (validate.ts calls it). Value ranges are left to the
 * optimizer and scheduler constructors, which answer with PyTorch's messages.
 */
import {
  INTEGER_SCHEDULER_OPTIONS,
  PARAM_GROUP_MODES,
  SCHEDULER_NAMES,
  SCHEDULER_SPECS,
  hyperparametersOf,
  paramGroupLayout,
  type LabConfig
} from './config'

export interface TrainingProblem {
  /** The option concerned, as PyTorch / the CLI name it: `param_groups`, `group_lr`, `step_size`, `T_max`. */
  field: string
  message: string
}

const BOOLEAN_HYPERPARAMETERS = ['nesterov', 'amsgrad', 'centered', 'maximize']

function oneOf(field: string, value: unknown, allowed: readonly string[]): TrainingProblem | null {
  return allowed.includes(value as string) ? null : { field, message: `must be one of ${allowed.join(', ')}; got ${String(value)}` }
}

function hyperValueProblem(field: string, key: string, value: unknown): TrainingProblem | null {
  if (value === undefined) return null
  const ok =
    key === 'betas'
      ? Array.isArray(value) && value.length === 2 && value.every((b) => typeof b === 'number')
      : BOOLEAN_HYPERPARAMETERS.includes(key)
        ? typeof value === 'boolean'
        : typeof value === 'number'
  return ok ? null : { field, message: `${key} has an invalid value ${JSON.stringify(value)}` }
}

function paramGroupsProblem(config: LabConfig): TrainingProblem | null {
  if (config.paramGroups !== undefined) {
    const problem = oneOf('param_groups', config.paramGroups, PARAM_GROUP_MODES)
    if (problem) return problem
  }
  if (config.groupHyper === undefined) return null
  const groups = paramGroupLayout(config).length
  if (!Array.isArray(config.groupHyper) || config.groupHyper.length > groups) {
    const count = Array.isArray(config.groupHyper) ? config.groupHyper.length : String(config.groupHyper)
    return {
      field: 'group_hyper',
      message: `must list at most one entry per param group (${groups} with param_groups=${config.paramGroups ?? 'single'}), got ${count}`
    }
  }
  const accepted = new Set<string>(hyperparametersOf(config.optimizer))
  for (const [g, entry] of config.groupHyper.entries()) {
    if (entry === undefined) continue
    if (typeof entry !== 'object' || entry === null) return { field: 'group_hyper', message: `group ${g} must be an object` }
    for (const [key, value] of Object.entries(entry)) {
      if (!accepted.has(key)) {
        return { field: `group_${key}`, message: `${key} does not apply to ${config.optimizer} (it takes ${[...accepted].join(', ')})` }
      }
      const problem = hyperValueProblem(`group_${key}`, key, value)
      if (problem) return problem
    }
  }
  return null
}

function schedulerProblem(config: LabConfig): TrainingProblem | null {
  const scheduler = config.scheduler
  if (scheduler === undefined) return null
  if (typeof scheduler !== 'object' || scheduler === null) return { field: 'scheduler', message: 'must be an object {kind, options}' }
  const kind = oneOf('scheduler', scheduler.kind, SCHEDULER_NAMES)
  if (kind) return kind
  const spec = SCHEDULER_SPECS[scheduler.kind]
  const options = (scheduler.options ?? {}) as Record<string, unknown>
  const groups = paramGroupLayout(config).length
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue
    if (!(spec.options as readonly string[]).includes(key)) {
      return { field: key, message: `${key} does not apply to ${scheduler.kind} (it takes ${spec.options.join(', ')})` }
    }
    const integer = (INTEGER_SCHEDULER_OPTIONS as readonly string[]).includes(key)
    const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v))
    const show = JSON.stringify(value)
    if (key === 'milestones') {
      if (!Array.isArray(value) || !value.every(isNumber)) return { field: key, message: `must be a list of integers, got ${show}` }
    } else if (key === 'max_lr' || key === 'min_lr') {
      const ok = Array.isArray(value) ? value.length === groups && value.every(isNumber) : isNumber(value)
      if (!ok) return { field: key, message: `must be a number or one number per param group (${groups}), got ${show}` }
    } else if (key === 'anneal_strategy' || key === 'mode' || key === 'threshold_mode') {
      const allowed = { anneal_strategy: ['cos', 'linear'], mode: ['min', 'max'], threshold_mode: ['rel', 'abs'] }[key]
      const problem = oneOf(key, value, allowed)
      if (problem) return problem
    } else if (key === 'cycle_momentum' || key === 'three_phase') {
      if (typeof value !== 'boolean') return { field: key, message: `must be true or false, got ${show}` }
    } else if (!isNumber(value)) {
      return { field: key, message: `must be ${integer ? 'an integer' : 'a number'}, got ${show}` }
    }
  }
  for (const key of spec.required) {
    if (options[key] === undefined) return { field: key, message: `${scheduler.kind} needs ${key}` }
  }
  if (scheduler.kind === 'OneCycleLR') {
    // PyTorch raises "Tried to step N times" once the run outlasts the cycle.
    const totalSteps = (options.total_steps as number | undefined) ?? config.steps
    if (totalSteps < config.steps) {
      return { field: 'total_steps', message: `OneCycleLR's total_steps (${totalSteps}) must be at least the run's steps (${config.steps})` }
    }
    if (options.total_steps === undefined && config.steps < 1) {
      return { field: 'steps', message: "OneCycleLR's cycle spans the run (total_steps = steps), so steps must be at least 1" }
    }
  }
  return null
}

/** The first problem with `config.paramGroups`, `groupHyper` or `scheduler`, or null. */
export function checkTrainingOptions(config: LabConfig): TrainingProblem | null {
  return paramGroupsProblem(config) ?? schedulerProblem(config)
}
