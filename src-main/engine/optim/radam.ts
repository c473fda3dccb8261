import { Tensor } from '../tensor/tensor'
import { dtypeOf, rounderFor, type Storage } from '../tensor/dtype'
import { OPTIMIZER_DEFAULTS } from '../../shared/config'
import * as pointwise from './pointwise'
import {
  Optimizer, incrementStep, isFloat32, rejectImplementationFlags, requireBetas, requireNonNegative, resolveOptions,
  zerosLike, type ParamGroup, type ParamState, type ParamsInput
} from './optimizer'

// Bound once, so the hot loops call plain functions under every loader (see pointwise.ts)
const { add32, addcmul32, lerp32, add64, addcmul64, lerp64 } = pointwise

/**
 * RAdam (Liu et al., 2019, https://arxiv.org/abs/1908.03265) as `torch.optim.RAdam` 2.x computes it:
 *
 *   t ← t + 1;  g ← ∇θ  (−∇θ if maximize)
 *   if λ ≠ 0:  decoupled ? θ ← θ(1 − γλ) : g ← g + λθ
 *   m ← lerp(m, g, 1 − β1);  v ← β2·v + (1 − β2)g²;  m̂ ← m / (1 − β1ᵗ)
 *   ρ∞ ← 2/(1 − β2) − 1;  ρₜ ← ρ∞ − 2tβ2ᵗ/(1 − β2ᵗ)
 *   ρₜ > 5:  r ← √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ));  θ ← θ − m̂·γ · √(1 − β2ᵗ)/(√v + ε) · r
 *   else:    θ ← θ − m̂·γ
 *
 * γ lr, λ weight_decay. State: `step`, `exp_avg` (m), `exp_avg_sq` (v).
 */
export type RadamOptions = {
  lr: number
  betas: [number, number]
  eps: number
  weight_decay: number
  maximize: boolean
  foreach: boolean | null
  capturable: boolean
  decoupled_weight_decay: boolean
  differentiable: boolean
}

export interface RadamScalars {
  lr: number
  beta1: number
  beta2: number
  eps: number
  weightDecay: number
  decoupledWeightDecay: boolean
  maximize: boolean
  biasCorrection1: number
  /** √(1 − β2ᵗ), in double. */
  biasCorrection2Sqrt: number
  /** The rectification r, or null while ρₜ ≤ 5 (the un-adapted update). */
  rect: number | null
}

/** One RAdam update in place. */
export function radamUpdate(param: Storage, grad: Storage, expAvg: Storage, expAvgSq: Storage, s: RadamScalars): void {
  const coupled = s.weightDecay !== 0 && !s.decoupledWeightDecay
  const decoupled = s.weightDecay !== 0 && s.decoupledWeightDecay
  const R = rounderFor(dtypeOf(param))
  const wd = R(s.weightDecay), decay = R(1 - s.lr * s.weightDecay), oneMinusBeta1 = R(1 - s.beta1)
  const beta2 = R(s.beta2), oneMinusBeta2 = R(1 - s.beta2), bc1 = R(s.biasCorrection1), eps = R(s.eps)
  const lr = R(s.lr), bc2Sqrt = R(s.biasCorrection2Sqrt), rect = R(s.rect ?? 1), adaptive = s.rect !== null
  if (isFloat32(param)) {
    const F = Math.fround
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (coupled) g = add32(g, param[i], wd)
      else if (decoupled) param[i] = F(param[i] * decay)
      const m = (expAvg[i] = lerp32(expAvg[i], g, oneMinusBeta1))
      const v = (expAvgSq[i] = addcmul32(F(expAvgSq[i] * beta2), g, g, oneMinusBeta2))
      let update = F(F(m / bc1) * lr)
      if (adaptive) {
        // python_float / tensor is tensor.reciprocal() * python_float
        const adaptiveLr = F(F(1 / F(F(Math.sqrt(v)) + eps)) * bc2Sqrt)
        update = F(F(update * adaptiveLr) * rect)
      }
      param[i] = add32(param[i], update, -1)
    }
  } else {
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (coupled) g = add64(g, param[i], wd)
      else if (decoupled) param[i] = param[i] * decay
      const m = (expAvg[i] = lerp64(expAvg[i], g, oneMinusBeta1))
      const v = (expAvgSq[i] = addcmul64(expAvgSq[i] * beta2, g, g, oneMinusBeta2))
      let update = (m / bc1) * lr
      if (adaptive) update = update * ((1 / (Math.sqrt(v) + eps)) * bc2Sqrt) * rect
      param[i] = add64(param[i], update, -1)
    }
  }
}

export class RAdam extends Optimizer<RadamOptions> {
  constructor(params: ParamsInput<RadamOptions>, options: Partial<RadamOptions> = {}) {
    const d = OPTIMIZER_DEFAULTS.RAdam
    const defaults = resolveOptions('RAdam', {
      lr: d.lr, betas: d.betas, eps: d.eps, weight_decay: d.weight_decay, maximize: d.maximize, foreach: null,
      capturable: false, decoupled_weight_decay: false, differentiable: false
    } as RadamOptions, options)
    requireNonNegative(defaults.lr, 'Invalid learning rate')
    requireNonNegative(defaults.eps, 'Invalid epsilon value')
    requireBetas(defaults.betas)
    requireNonNegative(defaults.weight_decay, 'Invalid weight_decay value')
    rejectImplementationFlags(defaults)
    super(params, defaults)
  }

  protected initState(param: Tensor): ParamState {
    return { step: Tensor.scalar(0), exp_avg: zerosLike(param), exp_avg_sq: zerosLike(param) }
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<RadamOptions>): void {
    const step = incrementStep(state)
    const [beta1, beta2] = group.betas
    const biasCorrection1 = 1 - beta1 ** step
    const biasCorrection2 = 1 - beta2 ** step
    const rhoInf = 2 / (1 - beta2) - 1
    const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2
    const rect = rhoT > 5
      ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT))
      : null
    radamUpdate(param.data, grad.data, state.exp_avg.data, state.exp_avg_sq.data, {
      lr: group.lr, beta1, beta2, eps: group.eps, weightDecay: group.weight_decay,
      decoupledWeightDecay: group.decoupled_weight_decay, maximize: group.maximize,
      biasCorrection1, biasCorrection2Sqrt: Math.sqrt(biasCorrection2), rect
    })
  }
}
