import { Tensor } from '../tensor/tensor'
import { dtypeOf, rounderFor, type Storage } from '../tensor/dtype'
import { OPTIMIZER_DEFAULTS } from '../../shared/config'
import * as pointwise from './pointwise'
import {
  Optimizer, incrementStep, isFloat32, rejectImplementationFlags, requireNonNegative, resolveOptions,
  type ParamGroup, type ParamState, type ParamsInput
} from './optimizer'

// Bound once, so the hot loops call plain functions under every loader (see pointwise.ts)
const { add32, addcdiv32, addcmul32, add64, addcdiv64, addcmul64 } = pointwise

/**
 * Adagrad (Duchi et al., 2011, https://jmlr.org/papers/v12/duchi11a.html) as `torch.optim.Adagrad`
 * computes it:
 *
 *   t ← t + 1;  g ← ∇θ  (−∇θ if maximize);  if λ ≠ 0: g ← g + λθ
 *   γ̃ ← γ / (1 + (t − 1)η)
 *   s ← s + g²
 *   θ ← θ − γ̃ · g / (√s + ε)
 *
 * γ lr, η lr_decay, λ weight_decay. State: `step`, `sum` (s, starting at initial_accumulator_value),
 * created in the constructor as PyTorch does.
 */
export type AdagradOptions = {
  lr: number
  lr_decay: number
  eps: number
  weight_decay: number
  initial_accumulator_value: number
  foreach: boolean | null
  maximize: boolean
  differentiable: boolean
  fused: boolean | null
}

export interface AdagradScalars {
  /** lr / (1 + (t − 1)·lr_decay), in double. */
  clr: number
  eps: number
  weightDecay: number
  maximize: boolean
}

/** One Adagrad update in place. */
export function adagradUpdate(param: Storage, grad: Storage, sum: Storage, s: AdagradScalars): void {
  const R = rounderFor(dtypeOf(param))
  const wd = R(s.weightDecay), eps = R(s.eps), negClr = R(-s.clr)
  if (isFloat32(param)) {
    const F = Math.fround
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (s.weightDecay !== 0) g = add32(g, param[i], wd)
      const std = F(F(Math.sqrt((sum[i] = addcmul32(sum[i], g, g, 1)))) + eps)
      param[i] = addcdiv32(param[i], g, std, negClr)
    }
  } else {
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (s.weightDecay !== 0) g = add64(g, param[i], wd)
      const std = Math.sqrt((sum[i] = addcmul64(sum[i], g, g, 1))) + eps
      param[i] = addcdiv64(param[i], g, std, negClr)
    }
  }
}

export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    const d = OPTIMIZER_DEFAULTS.Adagrad
    const defaults = resolveOptions('Adagrad', {
      lr: d.lr, lr_decay: d.lr_decay, eps: d.eps, weight_decay: d.weight_decay,
      initial_accumulator_value: d.initial_accumulator_value, foreach: null, maximize: d.maximize,
      differentiable: false, fused: null
    } as AdagradOptions, options)
    requireNonNegative(defaults.lr, 'Invalid learning rate')
    requireNonNegative(defaults.lr_decay, 'Invalid lr_decay value')
    requireNonNegative(defaults.weight_decay, 'Invalid weight_decay value')
    requireNonNegative(defaults.initial_accumulator_value, 'Invalid initial_accumulator_value value')
    requireNonNegative(defaults.eps, 'Invalid epsilon value')
    rejectImplementationFlags(defaults)
    super(params, defaults)
    for (const group of this.paramGroups) {
      for (const param of group.params) this.state.set(param, this.initState(param))
    }
  }

  /** From `defaults`, not the group, as PyTorch does (also for groups added later). */
  protected initState(param: Tensor): ParamState {
    const sum = Tensor.full(param.shape, this.defaults.initial_accumulator_value, param.dtype)
    return { step: Tensor.scalar(0), sum }
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<AdagradOptions>): void {
    const step = incrementStep(state)
    adagradUpdate(param.data, grad.data, state.sum.data, {
      clr: group.lr / (1 + (step - 1) * group.lr_decay),
      eps: group.eps, weightDecay: group.weight_decay, maximize: group.maximize
    })
  }
}
