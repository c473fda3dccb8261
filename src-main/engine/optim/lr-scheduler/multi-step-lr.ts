import { ValueError, formatNumber, type Optimizer } from '../optimizer'
import { LRScheduler, keywordArguments } from './lr-scheduler'

export interface MultiStepLROptions {
  milestones: readonly number[]
  gamma: number
  last_epoch: number
}

/**
 * `MultiStepLR`: multiply the lr by γ at each milestone (by γⁿ where a step is listed n times).
 *
 *   lr_t = lr_{t−1} · γ^count(t)
 */
export class MultiStepLR extends LRScheduler {
  /** `milestones`: a Counter in PyTorch, step → how often it is listed. */
  readonly milestones: Map<number, number>
  readonly gamma: number

  constructor(optimizer: Optimizer, options: Partial<MultiStepLROptions>) {
    super(optimizer)
    const o = keywordArguments<MultiStepLROptions>('MultiStepLR', options, ['milestones'], { gamma: 0.1, last_epoch: -1 })
    this.milestones = new Map()
    for (const m of o.milestones) {
      if (!Number.isInteger(m)) throw new ValueError(`milestones must be integers, got ${formatNumber(m)}`)
      this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1)
    }
    this.gamma = o.gamma
    this.start(o.last_epoch)
  }

  protected getLr(): number[] {
    const count = this.milestones.get(this.lastEpoch)
    if (count === undefined) return this.currentLrs()
    return this.currentLrs().map((lr) => lr * this.gamma ** count)
  }

  protected options(): Record<string, unknown> {
    return { milestones: Object.fromEntries(this.milestones), gamma: this.gamma }
  }

  protected loadOptions(state: Record<string, unknown>): void {
    const milestones = new Map(Object.entries(state.milestones as Record<string, number>).map(([k, v]) => [Number(k), v]))
    Object.assign(this, { milestones, gamma: state.gamma })
  }
}
