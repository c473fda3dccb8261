import { hyperparametersOf, type LabConfig } from './config'
import { checkData } from './data-check'
import { DEFAULT_MAX_MEMORY_BYTES, describeRunBytes, estimateRunBytes, formatBytes } from './memory'
import { LabConfigSchema, LIMITS, parseWith, type Parsed } from './schema'
import { checkTrainingOptions } from './training-check'

export { LIMITS }

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

/**
 * What the schema cannot say: which hyperparameters the chosen optimizer takes, and whether the
 * tensors fit in `maxMemoryBytes`, estimated before anything is allocated. `field` is a schema path
 * (`hyper.betas`, `memory`).
 */
export function checkConfigLimits(config: LabConfig, maxMemoryBytes = DEFAULT_MAX_MEMORY_BYTES): { field: string; message: string } | null {
  const accepted = new Set<string>(hyperparametersOf(config.optimizer))
  for (const key of Object.keys(config.hyper)) {
    if (!accepted.has(key)) {
      return { field: `hyper.${key}`, message: `${key} does not apply to ${config.optimizer} (it takes ${[...accepted].join(', ')})` }
    }
  }
  const training = checkTrainingOptions(config) // param groups and scheduler
  if (training) return training
  const data = checkData(config) // data, loss and sizes agree
  if (data) return data
  const bytes = estimateRunBytes(config)
  if (bytes > maxMemoryBytes) {
    return {
      field: 'memory',
      message:
        `this configuration needs about ${formatBytes(bytes)} (${describeRunBytes(config)}), more than the ` +
        `${formatBytes(maxMemoryBytes)} allowed; make the network or data smaller (the CLI's --max-memory raises the cap)`
    }
  }
  return null
}

/**
 * An untrusted value as a `LabConfig`: the shared schema (every field, its type and range), then
 * `checkConfigLimits`. `field` is the path below `root` (`config.hidden[0]`, `config.hyper.lr`).
 */
export function parseLabConfig(value: unknown, root = 'config', maxMemoryBytes = DEFAULT_MAX_MEMORY_BYTES): Parsed<LabConfig> {
  const parsed = parseWith(LabConfigSchema, value, root)
  if (!parsed.ok) return parsed
  const problem = checkConfigLimits(parsed.value, maxMemoryBytes)
  if (problem) return { ok: false, field: root ? `${root}.${problem.field}` : problem.field, message: problem.message }
  return parsed
}

/** The CLI's and the form's name for a schema path: `dIn` → `d_in`, `hyper.lr` → `lr`, `hidden[2]` → `hidden`. */
function fieldName(path: string): string {
  const top = path.replace(/^hyper\./, '').split(/[.[]/)[0]
  return { dIn: 'd_in', dOut: 'd_out', paramGroups: 'param_groups', groupHyper: 'group_hyper', zeroGrad: 'zero_grad' }[top] ?? top
}

/**
 * Structural checks of a configuration, shared by the CLI, the engine host and the renderer:
 * sizes, enumerations and which hyperparameters the optimizer takes. Value ranges of the
 * hyperparameters are checked by the optimizer constructors themselves, with PyTorch's messages.
 * Throws ConfigError naming the field.
 */
export function validateConfig(config: LabConfig, maxMemoryBytes = DEFAULT_MAX_MEMORY_BYTES): LabConfig {
  const parsed = parseLabConfig(config, '', maxMemoryBytes)
  if (!parsed.ok) throw new ConfigError(fieldName(parsed.field), parsed.message)
  return config
}
