import {
  ACTIVATIONS,
  DTYPES,
  OPTIMIZER_NAMES,
  REDUCTIONS,
  hyperparametersOf,
  type LabConfig
} from './config'
import { DEFAULT_MAX_MEMORY_BYTES, estimateRunBytes, formatBytes } from './memory'
import { checkTrainingOptions } from './training-check'

/** A configuration value that is not allowed, with the field it concerns (PyTorch/flag naming). */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message)
    this.name = 'ConfigError'
  }
}

export const LIMITS = {
  /** Largest width of any layer, samples or feature count. */
  maxDimension: 1_000_000,
  maxHiddenLayers: 32,
  maxSteps: 10_000_000
} as const

function positiveInteger(field: string, value: unknown, max: number = LIMITS.maxDimension): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError(field, `must be an integer from 1 to ${max}, got ${String(value)}`)
  }
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): void {
  if (!allowed.includes(value as T)) {
    throw new ConfigError(field, `must be one of ${allowed.join(', ')}; got ${String(value)}`)
  }
}

/**
 * Structural checks of a configuration, shared by the CLI, the engine host and the renderer:
 * sizes, enumerations and which hyperparameters the optimizer takes. Value ranges of the
 * hyperparameters are checked by the optimizer constructors themselves, with PyTorch's messages.
 */
export function validateConfig(config: LabConfig, maxMemoryBytes = DEFAULT_MAX_MEMORY_BYTES): LabConfig {
  if (typeof config.seed !== 'number' || !Number.isSafeInteger(config.seed)) {
    throw new ConfigError('seed', `must be an integer, got ${String(config.seed)}`)
  }
  positiveInteger('n', config.n)
  positiveInteger('d_in', config.dIn)
  positiveInteger('d_out', config.dOut)
  if (!Array.isArray(config.hidden) || config.hidden.length > LIMITS.maxHiddenLayers) {
    throw new ConfigError('hidden', `must be a list of at most ${LIMITS.maxHiddenLayers} layer widths`)
  }
  config.hidden.forEach((width) => positiveInteger('hidden', width))
  oneOf('activation', config.activation, ACTIVATIONS)
  oneOf('reduction', config.reduction, REDUCTIONS)
  oneOf('dtype', config.dtype, DTYPES)
  oneOf('optimizer', config.optimizer, OPTIMIZER_NAMES)
  if (typeof config.steps !== 'number' || !Number.isInteger(config.steps) || config.steps < 0 || config.steps > LIMITS.maxSteps) {
    throw new ConfigError('steps', `must be an integer from 0 to ${LIMITS.maxSteps}, got ${String(config.steps)}`)
  }
  const accepted = new Set<string>(hyperparametersOf(config.optimizer))
  for (const key of Object.keys(config.hyper ?? {})) {
    if (!accepted.has(key)) {
      throw new ConfigError(key, `${key} does not apply to ${config.optimizer} (it takes ${[...accepted].join(', ')})`)
    }
  }
  const training = checkTrainingOptions(config)
  if (training) throw new ConfigError(training.field, training.message)
  const bytes = estimateRunBytes(config)
  if (bytes > maxMemoryBytes) {
    throw new ConfigError(
      'memory',
      `this configuration needs about ${formatBytes(bytes)}, more than the ${formatBytes(maxMemoryBytes)} allowed; make the network or data smaller (the CLI's --max-memory raises the cap)`
    )
  }
  return config
}
