/**
 * The form's data: which dataset the run trains on and the loss that goes with it. The lesson's
 * randn regression is trained with MSELoss; class labels (moons, circles, spiral, a CSV of classes)
 * with CrossEntropyLoss, so the loss follows the data instead of being a second choice to get wrong.
 */
import {
  SYNTHETIC_DEFAULTS,
  type DataConfig,
  type DataKind,
  type LabConfig,
  type LossName,
  type SyntheticKind
} from '../../../src-main/shared/config'
import type { CsvDataset } from '../lib/csv-import'

export class DataChoice {
  kind = $state<DataKind>('randn')
  /** Noise of each synthetic set, kept per set while switching. */
  noise = $state<Record<SyntheticKind, number>>({
    moons: SYNTHETIC_DEFAULTS.moons.noise,
    circles: SYNTHETIC_DEFAULTS.circles.noise,
    spiral: SYNTHETIC_DEFAULTS.spiral.noise
  })
  spiralClasses = $state(SYNTHETIC_DEFAULTS.spiral.classes)
  /** The imported CSV (large: replaced, never proxied). */
  csv = $state.raw<CsvDataset | null>(null)

  /** Classes of the data, or null for real-valued targets. */
  classes = $derived.by((): number | null => {
    if (this.kind === 'randn') return null
    if (this.kind === 'csv') return this.csv?.task === 'classification' ? this.csv.dOut : null
    return this.kind === 'spiral' ? this.spiralClasses : 2
  })
  loss = $derived<LossName>(this.classes === null ? 'mse' : 'cross_entropy')

  /** The config's `data` and `loss` (nothing for the lesson's randn, so its configs stay as they were). */
  part = $derived.by((): Pick<LabConfig, 'data' | 'loss'> => {
    const data = this.#dataConfig()
    return data ? { data, loss: this.loss } : {}
  })

  /** Follows a configuration (a recent run's, the last one used). */
  apply(config: LabConfig): void {
    const data = config.data
    this.kind = data?.kind ?? 'randn'
    if (data && data.kind !== 'randn' && data.kind !== 'csv') this.noise[data.kind] = data.noise
    if (data?.kind === 'spiral') this.spiralClasses = data.classes
    if (data?.kind === 'csv') {
      const { n, dIn, dOut } = config
      const columns = [...Array.from({ length: dIn }, (_, i) => `x${i + 1}`), ...(data.task === 'classification' ? ['class'] : Array.from({ length: dOut }, (_, i) => `y${i + 1}`))]
      this.csv = { task: data.task, name: data.name, columns, n, dIn, dOut, x: data.x, y: data.y, classNames: null }
    }
  }

  #dataConfig(): DataConfig | null {
    switch (this.kind) {
      case 'randn':
        return null
      case 'csv': {
        const csv = this.csv
        return csv ? { kind: 'csv', task: csv.task, name: csv.name, x: csv.x, y: csv.y } : null
      }
      case 'spiral':
        return { kind: 'spiral', noise: this.noise.spiral, classes: this.spiralClasses }
      default:
        return { kind: this.kind, noise: this.noise[this.kind] }
    }
  }
}
