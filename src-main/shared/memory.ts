import { layerWidths, type LabConfig } from './config'

/** The default cap on what one configuration may allocate (DESIGN §5). */
export const DEFAULT_MAX_MEMORY_BYTES = 1024 ** 3

/** Optimizer state tensors kept per parameter (the worst case, e.g. AMSGrad or centered RMSprop). */
const STATE_TENSORS_PER_PARAMETER = 3

export function parameterCount(config: Pick<LabConfig, 'dIn' | 'hidden' | 'dOut'>): number {
  const widths = layerWidths(config)
  let count = 0
  for (let i = 0; i + 1 < widths.length; i++) count += widths[i] * widths[i + 1] + widths[i + 1]
  return count
}

/**
 * Bytes the tensors of one run need at their peak: data (drawn in float32, then cast for float64),
 * parameters with their gradients and optimizer state, and the activations of a forward and
 * backward pass, plus one double per recorded loss. An estimate that errs on the high side, used to
 * refuse a configuration before anything is allocated.
 */
export function estimateRunBytes(config: LabConfig): number {
  const element = config.dtype === 'float64' ? 8 : 4
  const data = config.n * (config.dIn + config.dOut)
  const parameters = parameterCount(config)
  const activations = config.hidden.reduce((sum, width) => sum + config.n * width, config.n * config.dOut)
  const castCopies = config.dtype === 'float64' ? 4 * (data + parameters) : 0
  return (
    element * (data + parameters * (2 + STATE_TENSORS_PER_PARAMETER) + 4 * activations) +
    castCopies +
    8 * config.steps
  )
}

/**
 * What dominates the estimate, in the lesson's names: the data (N × (D_in + D_out) values), the
 * parameters (each kept with its gradient and optimizer state) and the per-step losses kept.
 */
export function describeRunBytes(config: LabConfig): string {
  const count = (x: number): string => x.toLocaleString('en-US')
  return (
    `data N × (D_in + D_out) = ${count(config.n)} × ${count(config.dIn + config.dOut)} values, ` +
    `${count(parameterCount(config))} parameters with gradients and optimizer state, ` +
    `${count(config.steps)} step losses`
  )
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}
