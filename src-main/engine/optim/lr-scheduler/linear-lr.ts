import { ValueError, type Optimizer } from '../optimizer'
import { LRScheduler, keywordArguments, requirePositiveInteger } from './lr-scheduler'

export interface LinearLROptions {
  start_factor: number
  end_factor: number
  total_iters: number
  last_epoch: number
}

/**
 * `LinearLR`: scale the lr by a factor moving linearly from `start_factor` to `end_factor` over
 * `total_iters` steps, then keep it. PyTorch's recursive form, with s, e the factors and T total_iters:
 *
 *   lr_0 = lr · s
 *   lr_t = lr_{t−1} · (1 + (e − s) / (T·s + (t − 1)(e − s)))   for 0 < t ≤ T
 *
 * (closed form: base_lr · (s + (e − s) · min(T, t) / T)).
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number
  readonly endFactor: number
  readonly totalIters: number

  constructor(optimizer: Optimizer, options: Partial<LinearLROptions> = {}) {
    super(optimizer)
    const o = keywordArguments<LinearLROptions>('LinearLR', options, [], {
      start_factor: 1 / 3, end_factor: 1, total_iters: 5, last_epoch: -1
    })
    if (o.start_factor > 1 || !(o.start_factor > 0)) {
      throw new ValueError('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.')
    }
    if (o.end_factor > 1 || !(o.end_factor >= 0)) {
      throw new ValueError('Ending multiplicative factor expected to be between 0 and 1.')
    }
    requirePositiveInteger('total_iters', o.total_iters)
    this.startFactor = o.start_factor
    this.endFactor = o.end_factor
    this.totalIters = o.total_iters
    this.start(o.last_epoch)
  }

  protected getLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: T, lastEpoch: t } = this
    if (t === 0) return this.currentLrs().map((lr) => lr * s)
    if (this.isInitial || t > T) return this.currentLrs()
    return this.currentLrs().map((lr) => lr * (1 + (e - s) / (T * s + (t - 1) * (e - s))))
  }

  protected options(): Record<string, unknown> {
    return { start_factor: this.startFactor, end_factor: this.endFactor, total_iters: this.totalIters }
  }

  protected loadOptions(state: Record<string, unknown>): void {
    Object.assign(this, { startFactor: state.start_factor, endFactor: state.end_factor, totalIters: state.total_iters })
  }
}
