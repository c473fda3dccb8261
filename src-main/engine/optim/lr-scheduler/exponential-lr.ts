import type { Optimizer } from '../optimizer'
import { LRScheduler, keywordArguments } from './lr-scheduler'

export interface ExponentialLROptions {
  gamma: number
  last_epoch: number
}

/**
 * `ExponentialLR`: multiply the lr by γ every step.
 *
 *   lr_t = lr_{t−1} · γ      (closed form: base_lr · γᵗ)
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number

  constructor(optimizer: Optimizer, options: Partial<ExponentialLROptions>) {
    super(optimizer)
    const o = keywordArguments<ExponentialLROptions>('ExponentialLR', options, ['gamma'], { last_epoch: -1 })
    this.gamma = o.gamma
    this.start(o.last_epoch)
  }

  protected getLr(): number[] {
    // The initial step (also when resuming) leaves the lr as it is.
    if (this.isInitial) return this.currentLrs()
    return this.currentLrs().map((lr) => lr * this.gamma)
  }

  protected options(): Record<string, unknown> {
    return { gamma: this.gamma }
  }

  protected loadOptions(state: Record<string, unknown>): void {
    Object.assign(this, { gamma: state.gamma })
  }
}
