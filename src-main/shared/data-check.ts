/**
 * Whether a configuration's data, loss and sizes fit together (validate.ts calls it after the
 * schema): a synthetic 2-D set has 2 features and one output per class, class labels need
 * CrossEntropyLoss and real-valued targets MSELoss, imported CSV values fill N × d_in and N × d_out.
 */
import { LOSS_CLASS_NAMES, classCount, dataKindOf, lossOf, type LabConfig } from './config'

export interface DataProblem {
  /** The field concerned, as a schema path (`data`, `loss`, `dIn`, `dOut`, `n`); validate.ts renames it for messages. */
  field: string
  message: string
}

export function checkData(config: LabConfig): DataProblem | null {
  const kind = dataKindOf(config)
  const loss = lossOf(config)
  const classes = classCount(config)
  if (classes === null && loss === 'cross_entropy') {
    return { field: 'loss', message: `CrossEntropyLoss needs class labels; ${kind} data has real-valued targets (use mse, or a classification dataset)` }
  }
  if (classes !== null && loss !== 'cross_entropy') {
    return { field: 'loss', message: `${kind} data has class labels; train it with cross_entropy, not ${LOSS_CLASS_NAMES[loss]}` }
  }
  const data = config.data
  if (!data || data.kind === 'randn') return null
  if (data.kind !== 'csv') {
    if (config.dIn !== 2) return { field: 'dIn', message: `${kind} points have 2 coordinates: d_in must be 2, got ${config.dIn}` }
    if (config.dOut !== classes) return { field: 'dOut', message: `${kind} has ${classes} classes: d_out must be ${classes}, got ${config.dOut}` }
    if (config.n < classes!) return { field: 'n', message: `${kind} needs at least ${classes} samples (one per class), got ${config.n}` }
    return null
  }
  if (data.x.length !== config.n * config.dIn) {
    return { field: 'data', message: `the CSV x holds ${data.x.length} values; N × d_in = ${config.n} × ${config.dIn} needs ${config.n * config.dIn}` }
  }
  const perRow = data.task === 'classification' ? 1 : config.dOut
  if (data.y.length !== config.n * perRow) {
    return { field: 'data', message: `the CSV y holds ${data.y.length} values; ${config.n} rows need ${config.n * perRow}` }
  }
  if (data.task === 'classification') {
    const bad = data.y.findIndex((k) => !Number.isInteger(k) || k < 0 || k >= config.dOut)
    if (bad >= 0) return { field: 'data', message: `row ${bad + 1}: class ${data.y[bad]} is not an integer from 0 to ${config.dOut - 1} (d_out classes)` }
  }
  return null
}
