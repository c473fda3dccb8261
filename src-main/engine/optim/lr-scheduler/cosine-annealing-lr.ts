import type { Optimizer } from '../optimizer'
import { cos } from '../../numeric/cos'
import { LRScheduler, keywordArguments, requirePositiveInteger } from './lr-scheduler'

export interface CosineAnnealingLROptions {
  T_max: number
  eta_min: number
  last_epoch: number
}

/**
 * `CosineAnnealingLR` (SGDR without restarts, Loshchilov & Hutter, https://arxiv.org/abs/1608.03983),
 * in PyTorch's recursive form:
 *
 *   η_t = η_min + (η_{t−1} − η_min) · (1 + cos(π t / T_max)) / (1 + cos(π (t−1) / T_max))
 *
 * which follows η_min + ½(η_0 − η_min)(1 + cos(π t / T_max)); past T_max the lr climbs back up
 * (at t − 1 − T_max ≡ 0 mod 2T_max PyTorch adds (η_0 − η_min)(1 − cos(π / T_max))/2 instead).
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number
  readonly etaMin: number

  constructor(optimizer: Optimizer, options: Partial<CosineAnnealingLROptions>) {
    super(optimizer)
    const o = keywordArguments<CosineAnnealingLROptions>('CosineAnnealingLR', options, ['T_max'], { eta_min: 0, last_epoch: -1 })
    requirePositiveInteger('T_max', o.T_max)
    this.tMax = o.T_max
    this.etaMin = o.eta_min
    this.start(o.last_epoch)
  }

  protected getLr(): number[] {
    const { tMax, etaMin, lastEpoch: t } = this
    if (this.isInitial) return this.currentLrs()
    if (this.stepCount === 1 && t > 0) {
      return this.baseLrs.map((baseLr) => etaMin + ((baseLr - etaMin) * (1 + cos((t * Math.PI) / tMax))) / 2)
    }
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      const groups = this.currentLrs()
      return this.baseLrs.map((baseLr, i) => groups[i] + ((baseLr - etaMin) * (1 - cos(Math.PI / tMax))) / 2)
    }
    return this.currentLrs().map(
      (lr) => ((1 + cos((Math.PI * t) / tMax)) / (1 + cos((Math.PI * (t - 1)) / tMax))) * (lr - etaMin) + etaMin
    )
  }

  protected options(): Record<string, unknown> {
    return { T_max: this.tMax, eta_min: this.etaMin }
  }

  protected loadOptions(state: Record<string, unknown>): void {
    Object.assign(this, { tMax: state.T_max, etaMin: state.eta_min })
  }
}
