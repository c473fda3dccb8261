import { Tensor } from '../tensor/tensor'
import { dtypeOf, rounderFor, type Storage } from '../tensor/dtype'
import { OPTIMIZER_DEFAULTS } from '../../shared/config'
import * as pointwise from './pointwise'
import {
  Optimizer, ValueError, formatNumber, incrementStep, isFloat32, rejectImplementationFlags, requireNonNegative,
  resolveOptions, zerosLike, type ParamGroup, type ParamState, type ParamsInput
} from './optimizer'

// Bound once, so the hot loops call plain functions under every loader (see pointwise.ts)
const { add32, addcmul32, add64, addcmul64 } = pointwise

/**
 * Adadelta (Zeiler, 2012, https://arxiv.org/abs/1212.5701) as `torch.optim.Adadelta` computes it:
 *
 *   g ← ∇θ  (−∇θ if maximize);  if λ ≠ 0: g ← g + λθ
 *   v ← ρv + (1 − ρ)g²
 *   Δ ← √(u + ε) / √(v + ε) · g
 *   u ← ρu + (1 − ρ)Δ²
 *   θ ← θ − γΔ
 *
 * γ lr, λ weight_decay. State: `step` (unused by the update), `square_avg` (v), `acc_delta` (u).
 */
export type AdadeltaOptions = {
  lr: number
  rho: number
  eps: number
  weight_decay: number
  maximize: boolean
  capturable: boolean
  foreach: boolean | null
  differentiable: boolean
}

export interface AdadeltaScalars {
  lr: number
  rho: number
  eps: number
  weightDecay: number
  maximize: boolean
}

/** One Adadelta update in place. */
export function adadeltaUpdate(param: Storage, grad: Storage, squareAvg: Storage, accDelta: Storage, s: AdadeltaScalars): void {
  const R = rounderFor(dtypeOf(param))
  const wd = R(s.weightDecay), rho = R(s.rho), oneMinusRho = R(1 - s.rho), eps = R(s.eps), negLr = R(-s.lr)
  if (isFloat32(param)) {
    const F = Math.fround
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (s.weightDecay !== 0) g = add32(g, param[i], wd)
      const v = (squareAvg[i] = addcmul32(F(squareAvg[i] * rho), g, g, oneMinusRho))
      const std = F(Math.sqrt(F(v + eps)))
      const delta = F(F(F(Math.sqrt(F(accDelta[i] + eps))) / std) * g)
      accDelta[i] = addcmul32(F(accDelta[i] * rho), delta, delta, oneMinusRho)
      param[i] = add32(param[i], delta, negLr)
    }
  } else {
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (s.weightDecay !== 0) g = add64(g, param[i], wd)
      const v = (squareAvg[i] = addcmul64(squareAvg[i] * rho, g, g, oneMinusRho))
      const std = Math.sqrt(v + eps)
      const delta = (Math.sqrt(accDelta[i] + eps) / std) * g
      accDelta[i] = addcmul64(accDelta[i] * rho, delta, delta, oneMinusRho)
      param[i] = add64(param[i], delta, negLr)
    }
  }
}

export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: ParamsInput<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    const d = OPTIMIZER_DEFAULTS.Adadelta
    const defaults = resolveOptions('Adadelta', {
      lr: d.lr, rho: d.rho, eps: d.eps, weight_decay: d.weight_decay, maximize: d.maximize,
      capturable: false, foreach: null, differentiable: false
    } as AdadeltaOptions, options)
    requireNonNegative(defaults.lr, 'Invalid learning rate')
    if (!(defaults.rho >= 0 && defaults.rho <= 1)) throw new ValueError(`Invalid rho value: ${formatNumber(defaults.rho)}`)
    requireNonNegative(defaults.eps, 'Invalid epsilon value')
    requireNonNegative(defaults.weight_decay, 'Invalid weight_decay value')
    rejectImplementationFlags(defaults)
    super(params, defaults)
  }

  protected initState(param: Tensor): ParamState {
    return { step: Tensor.scalar(0), square_avg: zerosLike(param), acc_delta: zerosLike(param) }
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<AdadeltaOptions>): void {
    incrementStep(state)
    adadeltaUpdate(param.data, grad.data, state.square_avg.data, state.acc_delta.data, {
      lr: group.lr, rho: group.rho, eps: group.eps, weightDecay: group.weight_decay, maximize: group.maximize
    })
  }
}
