import { Tensor } from '../tensor/tensor'
import { dtypeOf, rounderFor, type Storage } from '../tensor/dtype'
import { OPTIMIZER_DEFAULTS } from '../../shared/config'
import * as pointwise from './pointwise'
import {
  Optimizer, incrementStep, isFloat32, rejectImplementationFlags, requireBetas, requireNonNegative, resolveOptions,
  zerosLike, type ParamGroup, type ParamState, type ParamsInput
} from './optimizer'

// Bound once, so the hot loops call plain functions under every loader (see pointwise.ts)
const { add32, addcdiv32, lerp32, add64, addcdiv64, lerp64 } = pointwise

/**
 * Adamax (Kingma & Ba, 2014, §7.1, https://arxiv.org/abs/1412.6980): Adam with the infinity norm, as
 * `torch.optim.Adamax` 2.x computes it:
 *
 *   t ← t + 1;  g ← ∇θ  (−∇θ if maximize);  if λ ≠ 0: g ← g + λθ
 *   m ← lerp(m, g, 1 − β1)
 *   u ← max(β2·u, |g| + ε)
 *   θ ← θ − γ/(1 − β1ᵗ) · m / u
 *
 * γ lr, λ weight_decay. State: `step`, `exp_avg` (m), `exp_inf` (u).
 */
export type AdamaxOptions = {
  lr: number
  betas: [number, number]
  eps: number
  weight_decay: number
  foreach: boolean | null
  maximize: boolean
  differentiable: boolean
  capturable: boolean
}

export interface AdamaxScalars {
  beta1: number
  beta2: number
  eps: number
  weightDecay: number
  maximize: boolean
  /** lr / (1 − β1ᵗ), in double. */
  clr: number
}

/** One Adamax update in place. */
export function adamaxUpdate(param: Storage, grad: Storage, expAvg: Storage, expInf: Storage, s: AdamaxScalars): void {
  const R = rounderFor(dtypeOf(param))
  const wd = R(s.weightDecay), oneMinusBeta1 = R(1 - s.beta1), beta2 = R(s.beta2), eps = R(s.eps), negClr = R(-s.clr)
  if (isFloat32(param)) {
    const F = Math.fround
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (s.weightDecay !== 0) g = add32(g, param[i], wd)
      const m = (expAvg[i] = lerp32(expAvg[i], g, oneMinusBeta1))
      const u = (expInf[i] = Math.max(F(expInf[i] * beta2), F(Math.abs(g) + eps)))
      param[i] = addcdiv32(param[i], m, u, negClr)
    }
  } else {
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (s.weightDecay !== 0) g = add64(g, param[i], wd)
      const m = (expAvg[i] = lerp64(expAvg[i], g, oneMinusBeta1))
      const u = (expInf[i] = Math.max(expInf[i] * beta2, Math.abs(g) + eps))
      param[i] = addcdiv64(param[i], m, u, negClr)
    }
  }
}

export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: ParamsInput<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    const d = OPTIMIZER_DEFAULTS.Adamax
    const defaults = resolveOptions('Adamax', {
      lr: d.lr, betas: d.betas, eps: d.eps, weight_decay: d.weight_decay, foreach: null, maximize: d.maximize,
      differentiable: false, capturable: false
    } as AdamaxOptions, options)
    requireNonNegative(defaults.lr, 'Invalid learning rate')
    requireNonNegative(defaults.eps, 'Invalid epsilon value')
    requireBetas(defaults.betas)
    requireNonNegative(defaults.weight_decay, 'Invalid weight_decay value')
    rejectImplementationFlags(defaults)
    super(params, defaults)
  }

  protected initState(param: Tensor): ParamState {
    return { step: Tensor.scalar(0), exp_avg: zerosLike(param), exp_inf: zerosLike(param) }
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<AdamaxOptions>): void {
    const step = incrementStep(state)
    const [beta1, beta2] = group.betas
    adamaxUpdate(param.data, grad.data, state.exp_avg.data, state.exp_inf.data, {
      beta1, beta2, eps: group.eps, weightDecay: group.weight_decay, maximize: group.maximize,
      clr: group.lr / (1 - beta1 ** step)
    })
  }
}
