import type { Optimizer } from '../optimizer'
import { LRScheduler, keywordArguments, requirePositiveInteger } from './lr-scheduler'

export interface StepLROptions {
  step_size: number
  gamma: number
  last_epoch: number
}

/**
 * `StepLR`: multiply the lr by γ every `step_size` steps.
 *
 *   lr_t = lr_{t−1} · γ   if t > 0 and t mod step_size = 0,   else lr_{t−1}
 *
 * (closed form: base_lr · γ^⌊t / step_size⌋).
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number
  readonly gamma: number

  constructor(optimizer: Optimizer, options: Partial<StepLROptions>) {
    super(optimizer)
    const o = keywordArguments<StepLROptions>('StepLR', options, ['step_size'], { gamma: 0.1, last_epoch: -1 })
    requirePositiveInteger('step_size', o.step_size)
    this.stepSize = o.step_size
    this.gamma = o.gamma
    this.start(o.last_epoch)
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.currentLrs()
    return this.currentLrs().map((lr) => lr * this.gamma)
  }

  protected options(): Record<string, unknown> {
    return { step_size: this.stepSize, gamma: this.gamma }
  }

  protected loadOptions(state: Record<string, unknown>): void {
    Object.assign(this, { stepSize: state.step_size, gamma: state.gamma })
  }
}
