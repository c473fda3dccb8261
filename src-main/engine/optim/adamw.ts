import { OPTIMIZER_DEFAULTS } from '../../shared/config'
import type { ParamsInput } from './optimizer'
import { Adam, adamDefaults, type AdamOptions } from './adam'

/**
 * AdamW (Loshchilov & Hutter, 2017, https://arxiv.org/abs/1711.05101): Adam with the weight decay
 * decoupled from the gradient, θ ← θ(1 − γλ) before the Adam update. In PyTorch 2.x it is literally
 * `Adam(..., decoupled_weight_decay=True)` with λ = 1e-2 by default, and so it is here.
 */
export type AdamWOptions = Omit<AdamOptions, 'decoupled_weight_decay'>

export class AdamW extends Adam {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamWOptions> = {}) {
    if ('decoupled_weight_decay' in options) {
      throw new TypeError("AdamW.__init__() got an unexpected keyword argument 'decoupled_weight_decay'")
    }
    const base = { weight_decay: OPTIMIZER_DEFAULTS.AdamW.weight_decay, decoupled_weight_decay: true }
    super(params, adamDefaults('AdamW', base, options)) // checked and complete: Adam keeps them as they are
  }
}
