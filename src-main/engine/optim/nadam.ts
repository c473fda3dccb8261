import { Tensor } from '../tensor/tensor'
import { dtypeOf, rounderFor, type Storage } from '../tensor/dtype'
import { OPTIMIZER_DEFAULTS } from '../../shared/config'
import * as pointwise from './pointwise'
import {
  Optimizer, incrementStep, isFloat32, rejectImplementationFlags, requireBetas, requireNonNegative, resolveOptions,
  zerosLike, type ParamGroup, type ParamState, type ParamsInput
} from './optimizer'

// Bound once, so the hot loops call plain functions under every loader (see pointwise.ts)
const { add32, addcdiv32, addcmul32, lerp32, add64, addcdiv64, addcmul64, lerp64 } = pointwise

/**
 * NAdam (Dozat, 2016, https://openreview.net/forum?id=OM0jvwB8jIp57ZJjtNEZ) as `torch.optim.NAdam`
 * 2.x computes it:
 *
 *   t ← t + 1;  g ← ∇θ  (−∇θ if maximize)
 *   if λ ≠ 0:  decoupled ? θ ← θ(1 − γλ) : g ← g + λθ
 *   μₜ ← β1(1 − ½·0.96^(tψ));  μₜ₊₁ ← β1(1 − ½·0.96^((t+1)ψ));  Πₜ ← Πₜ₋₁·μₜ
 *   m ← lerp(m, g, 1 − β1);  v ← β2·v + (1 − β2)g²
 *   d ← √(v / (1 − β2ᵗ)) + ε
 *   θ ← θ − γ(1 − μₜ)/(1 − Πₜ) · g/d − γμₜ₊₁/(1 − Πₜμₜ₊₁) · m/d
 *
 * γ lr, ψ momentum_decay, λ weight_decay. State: `step`, `mu_product` (Π, a 0-dim float32 tensor as
 * in PyTorch, even for float64 parameters), `exp_avg` (m), `exp_avg_sq` (v).
 */
export type NadamOptions = {
  lr: number
  betas: [number, number]
  eps: number
  weight_decay: number
  momentum_decay: number
  decoupled_weight_decay: boolean
  maximize: boolean
  foreach: boolean | null
  capturable: boolean
  differentiable: boolean
}

export interface NadamScalars {
  lr: number
  beta1: number
  beta2: number
  eps: number
  weightDecay: number
  decoupledWeightDecay: boolean
  maximize: boolean
  biasCorrection2: number
  /** −γ(1 − μₜ)/(1 − Πₜ), the coefficient of g/d, in double. */
  gradCoefficient: number
  /** −γμₜ₊₁/(1 − Πₜμₜ₊₁), the coefficient of m/d, in double. */
  expAvgCoefficient: number
}

/** One NAdam update in place. */
export function nadamUpdate(param: Storage, grad: Storage, expAvg: Storage, expAvgSq: Storage, s: NadamScalars): void {
  const coupled = s.weightDecay !== 0 && !s.decoupledWeightDecay
  const decoupled = s.weightDecay !== 0 && s.decoupledWeightDecay
  const R = rounderFor(dtypeOf(param))
  const wd = R(s.weightDecay), decay = R(1 - s.lr * s.weightDecay), oneMinusBeta1 = R(1 - s.beta1)
  const beta2 = R(s.beta2), oneMinusBeta2 = R(1 - s.beta2), bc2 = R(s.biasCorrection2), eps = R(s.eps)
  const gradCoefficient = R(s.gradCoefficient), expAvgCoefficient = R(s.expAvgCoefficient)
  if (isFloat32(param)) {
    const F = Math.fround
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (coupled) g = add32(g, param[i], wd)
      else if (decoupled) param[i] = F(param[i] * decay)
      const m = (expAvg[i] = lerp32(expAvg[i], g, oneMinusBeta1))
      const v = (expAvgSq[i] = addcmul32(F(expAvgSq[i] * beta2), g, g, oneMinusBeta2))
      const denom = F(F(Math.sqrt(F(v / bc2))) + eps)
      param[i] = addcdiv32(addcdiv32(param[i], g, denom, gradCoefficient), m, denom, expAvgCoefficient)
    }
  } else {
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (coupled) g = add64(g, param[i], wd)
      else if (decoupled) param[i] = param[i] * decay
      const m = (expAvg[i] = lerp64(expAvg[i], g, oneMinusBeta1))
      const v = (expAvgSq[i] = addcmul64(expAvgSq[i] * beta2, g, g, oneMinusBeta2))
      const denom = Math.sqrt(v / bc2) + eps
      param[i] = addcdiv64(addcdiv64(param[i], g, denom, gradCoefficient), m, denom, expAvgCoefficient)
    }
  }
}

export class NAdam extends Optimizer<NadamOptions> {
  constructor(params: ParamsInput<NadamOptions>, options: Partial<NadamOptions> = {}) {
    const d = OPTIMIZER_DEFAULTS.NAdam
    const defaults = resolveOptions('NAdam', {
      lr: d.lr, betas: d.betas, eps: d.eps, weight_decay: d.weight_decay, momentum_decay: d.momentum_decay,
      decoupled_weight_decay: false, maximize: d.maximize, foreach: null, capturable: false, differentiable: false
    } as NadamOptions, options)
    requireNonNegative(defaults.lr, 'Invalid learning rate')
    requireNonNegative(defaults.eps, 'Invalid epsilon value')
    requireBetas(defaults.betas)
    requireNonNegative(defaults.weight_decay, 'Invalid weight_decay value')
    requireNonNegative(defaults.momentum_decay, 'Invalid momentum_decay value')
    rejectImplementationFlags(defaults)
    super(params, defaults)
  }

  protected initState(param: Tensor): ParamState {
    return { step: Tensor.scalar(0), mu_product: Tensor.scalar(1), exp_avg: zerosLike(param), exp_avg_sq: zerosLike(param) }
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<NadamOptions>): void {
    const step = incrementStep(state)
    const [beta1, beta2] = group.betas
    const psi = group.momentum_decay
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * psi))
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * psi))
    // mu_product *= mu: a 0-dim tensor times a Python float, rounded to the tensor's dtype
    const muProductTensor = state.mu_product
    const round = rounderFor(muProductTensor.dtype)
    const muProduct = (muProductTensor.data[0] = round(muProductTensor.data[0] * round(mu)))
    const muProductNext = muProduct * muNext
    nadamUpdate(param.data, grad.data, state.exp_avg.data, state.exp_avg_sq.data, {
      lr: group.lr, beta1, beta2, eps: group.eps, weightDecay: group.weight_decay,
      decoupledWeightDecay: group.decoupled_weight_decay, maximize: group.maximize,
      biasCorrection2: 1 - beta2 ** step,
      gradCoefficient: (-group.lr * (1 - mu)) / (1 - muProduct),
      expAvgCoefficient: (-group.lr * muNext) / (1 - muProductNext)
    })
  }
}
