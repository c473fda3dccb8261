import { Tensor } from '../tensor/tensor'
import { dtypeOf, rounderFor, type Storage } from '../tensor/dtype'
import { OPTIMIZER_DEFAULTS } from '../../shared/config'
import { kernels, type AdamUpdateScalars } from '../kernels/kernels'
import * as pointwise from './pointwise'
import {
  Optimizer, incrementStep, isFloat32, rejectImplementationFlags, requireBetas, requireNonNegative, resolveOptions,
  zerosLike, type ParamGroup, type ParamState, type ParamsInput
} from './optimizer'

// Bound once, so the hot loops call plain functions under every loader (see pointwise.ts)
const { add32, addcdiv32, addcmul32, lerp32, add64, addcdiv64, addcmul64, lerp64 } = pointwise

/**
 * Adam (Kingma & Ba, 2014, https://arxiv.org/abs/1412.6980) as `torch.optim.Adam` 2.x computes it:
 *
 *   t ← t + 1;  g ← ∇θ  (−∇θ if maximize)
 *   if λ ≠ 0:  decoupled ? θ ← θ(1 − γλ) : g ← g + λθ
 *   m ← lerp(m, g, 1 − β1)                     (= β1·m + (1 − β1)·g)
 *   v ← β2·v + (1 − β2)·g²
 *   v̂ ← amsgrad ? (vmax ← max(vmax, v)) : v
 *   θ ← θ − γ/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + ε)      (ε added after the division)
 *
 * γ lr, λ weight_decay. State: `step`, `exp_avg` (m), `exp_avg_sq` (v), `max_exp_avg_sq` if amsgrad.
 * AdamW is this with `decoupled_weight_decay` (Loshchilov & Hutter, https://arxiv.org/abs/1711.05101).
 */
export type AdamOptions = {
  lr: number
  betas: [number, number]
  eps: number
  weight_decay: number
  amsgrad: boolean
  maximize: boolean
  foreach: boolean | null
  capturable: boolean
  differentiable: boolean
  fused: boolean | null
  decoupled_weight_decay: boolean
}

/** The scalars of one update; the kernels' Adam hook takes the same ones. */
export type AdamScalars = AdamUpdateScalars

/** One Adam update in place; `maxExpAvgSq` is null unless amsgrad. */
export function adamUpdate(
  param: Storage, grad: Storage, expAvg: Storage, expAvgSq: Storage, maxExpAvgSq: Storage | null, s: AdamScalars
): void {
  // A backend with its own bit-exact Adam (WebAssembly) takes the whole update.
  if (kernels().adamUpdate?.(param, grad, expAvg, expAvgSq, maxExpAvgSq, s)) return
  const coupled = s.weightDecay !== 0 && !s.decoupledWeightDecay
  const decoupled = s.weightDecay !== 0 && s.decoupledWeightDecay
  const R = rounderFor(dtypeOf(param)) // a Python float meeting the tensor: float32 rounds it, float64 keeps it
  const wd = R(s.weightDecay), decay = R(1 - s.lr * s.weightDecay), beta2 = R(s.beta2)
  const oneMinusBeta1 = R(1 - s.beta1), oneMinusBeta2 = R(1 - s.beta2)
  const bc2Sqrt = R(s.biasCorrection2Sqrt), eps = R(s.eps), negStepSize = R(-s.stepSize)
  if (isFloat32(param)) {
    const F = Math.fround
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (coupled) g = add32(g, param[i], wd)
      else if (decoupled) param[i] = F(param[i] * decay)
      const m = (expAvg[i] = lerp32(expAvg[i], g, oneMinusBeta1))
      let v = (expAvgSq[i] = addcmul32(F(expAvgSq[i] * beta2), g, g, oneMinusBeta2))
      if (maxExpAvgSq !== null) v = maxExpAvgSq[i] = Math.max(maxExpAvgSq[i], v)
      const denom = F(F(F(Math.sqrt(v)) / bc2Sqrt) + eps)
      param[i] = addcdiv32(param[i], m, denom, negStepSize)
    }
  } else {
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (coupled) g = add64(g, param[i], wd)
      else if (decoupled) param[i] = param[i] * decay
      const m = (expAvg[i] = lerp64(expAvg[i], g, oneMinusBeta1))
      let v = (expAvgSq[i] = addcmul64(expAvgSq[i] * beta2, g, g, oneMinusBeta2))
      if (maxExpAvgSq !== null) v = maxExpAvgSq[i] = Math.max(maxExpAvgSq[i], v)
      const denom = Math.sqrt(v) / bc2Sqrt + eps
      param[i] = addcdiv64(param[i], m, denom, negStepSize)
    }
  }
}

/** Adam's constructor checks, shared with AdamW. */
export function adamDefaults(className: string, base: Partial<AdamOptions>, options: Partial<AdamOptions>): AdamOptions {
  const d = OPTIMIZER_DEFAULTS.Adam
  const defaults = resolveOptions(className, {
    lr: d.lr, betas: d.betas, eps: d.eps, weight_decay: d.weight_decay, amsgrad: d.amsgrad, maximize: d.maximize,
    foreach: null, capturable: false, differentiable: false, fused: null, decoupled_weight_decay: false, ...base
  } as AdamOptions, options)
  requireNonNegative(defaults.lr, 'Invalid learning rate')
  requireNonNegative(defaults.eps, 'Invalid epsilon value')
  requireBetas(defaults.betas)
  requireNonNegative(defaults.weight_decay, 'Invalid weight_decay value')
  rejectImplementationFlags(defaults)
  return defaults
}

export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, adamDefaults('Adam', {}, options))
  }

  protected initState(param: Tensor, group: ParamGroup<AdamOptions>): ParamState {
    const state: ParamState = { step: Tensor.scalar(0), exp_avg: zerosLike(param), exp_avg_sq: zerosLike(param) }
    if (group.amsgrad) state.max_exp_avg_sq = zerosLike(param)
    return state
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<AdamOptions>): void {
    const step = incrementStep(state)
    const [beta1, beta2] = group.betas
    if (group.amsgrad && !state.max_exp_avg_sq) state.max_exp_avg_sq = zerosLike(param)
    // Python-float arithmetic, in double
    const biasCorrection1 = 1 - beta1 ** step
    const biasCorrection2 = 1 - beta2 ** step
    adamUpdate(param.data, grad.data, state.exp_avg.data, state.exp_avg_sq.data,
      group.amsgrad ? state.max_exp_avg_sq.data : null, {
        lr: group.lr, beta1, beta2, eps: group.eps, weightDecay: group.weight_decay,
        decoupledWeightDecay: group.decoupled_weight_decay, maximize: group.maximize,
        stepSize: group.lr / biasCorrection1,
        biasCorrection2Sqrt: Math.sqrt(biasCorrection2)
      })
  }
}
