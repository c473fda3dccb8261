import { Tensor } from '../tensor/tensor'
import { dtypeOf, rounderFor, type Storage } from '../tensor/dtype'
import { OPTIMIZER_DEFAULTS } from '../../shared/config'
import * as pointwise from './pointwise'
import {
  Optimizer, incrementStep, isFloat32, rejectImplementationFlags, requireNonNegative, resolveOptions, zerosLike,
  type ParamGroup, type ParamState, type ParamsInput
} from './optimizer'

// Bound once, so the hot loops call plain functions under every loader (see pointwise.ts)
const { add32, addcdiv32, addcmul32, lerp32, add64, addcdiv64, addcmul64, lerp64 } = pointwise

/**
 * RMSprop (Hinton, Lecture 6e, https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf;
 * centered: Graves, 2013, https://arxiv.org/abs/1308.0850) as `torch.optim.RMSprop` 2.x computes it:
 *
 *   g ← ∇θ  (−∇θ if maximize);  if λ ≠ 0: g ← g + λθ
 *   v ← αv + (1 − α)g²
 *   centered:  ḡ ← lerp(ḡ, g, 1 − α);  avg ← √(v − ḡ²) + ε      else  avg ← √v + ε
 *   μ > 0:  b ← μb + g/avg;  θ ← θ − γb                           else  θ ← θ − γ·g/avg
 *
 * γ lr, λ weight_decay, μ momentum. State: `step`, `square_avg` (v), `momentum_buffer` (b) if μ > 0,
 * `grad_avg` (ḡ) if centered.
 */
export type RmspropOptions = {
  lr: number
  momentum: number
  alpha: number
  eps: number
  centered: boolean
  weight_decay: number
  capturable: boolean
  foreach: boolean | null
  maximize: boolean
  differentiable: boolean
}

export interface RmspropScalars {
  lr: number
  alpha: number
  eps: number
  weightDecay: number
  momentum: number
  maximize: boolean
}

/** One RMSprop update in place; `gradAvg` only if centered, `momentumBuffer` only if momentum > 0. */
export function rmspropUpdate(
  param: Storage, grad: Storage, squareAvg: Storage, gradAvg: Storage | null, momentumBuffer: Storage | null,
  s: RmspropScalars
): void {
  const R = rounderFor(dtypeOf(param))
  const wd = R(s.weightDecay), alpha = R(s.alpha), oneMinusAlpha = R(1 - s.alpha), eps = R(s.eps)
  const momentum = R(s.momentum), negLr = R(-s.lr)
  if (isFloat32(param)) {
    const F = Math.fround
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (s.weightDecay !== 0) g = add32(g, param[i], wd)
      const v = (squareAvg[i] = addcmul32(F(squareAvg[i] * alpha), g, g, oneMinusAlpha))
      let avg: number
      if (gradAvg !== null) {
        const ga = (gradAvg[i] = lerp32(gradAvg[i], g, oneMinusAlpha))
        avg = F(Math.sqrt(addcmul32(v, ga, ga, -1)))
      } else avg = F(Math.sqrt(v))
      avg = F(avg + eps)
      if (momentumBuffer !== null) {
        const b = (momentumBuffer[i] = addcdiv32(F(momentumBuffer[i] * momentum), g, avg, 1))
        param[i] = add32(param[i], b, negLr)
      } else param[i] = addcdiv32(param[i], g, avg, negLr)
    }
  } else {
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (s.weightDecay !== 0) g = add64(g, param[i], wd)
      const v = (squareAvg[i] = addcmul64(squareAvg[i] * alpha, g, g, oneMinusAlpha))
      let avg: number
      if (gradAvg !== null) {
        const ga = (gradAvg[i] = lerp64(gradAvg[i], g, oneMinusAlpha))
        avg = Math.sqrt(addcmul64(v, ga, ga, -1))
      } else avg = Math.sqrt(v)
      avg = avg + eps
      if (momentumBuffer !== null) {
        const b = (momentumBuffer[i] = addcdiv64(momentumBuffer[i] * momentum, g, avg, 1))
        param[i] = add64(param[i], b, negLr)
      } else param[i] = addcdiv64(param[i], g, avg, negLr)
    }
  }
}

export class RMSprop extends Optimizer<RmspropOptions> {
  constructor(params: ParamsInput<RmspropOptions>, options: Partial<RmspropOptions> = {}) {
    const d = OPTIMIZER_DEFAULTS.RMSprop
    const defaults = resolveOptions('RMSprop', {
      lr: d.lr, momentum: d.momentum, alpha: d.alpha, eps: d.eps, centered: d.centered, weight_decay: d.weight_decay,
      capturable: false, foreach: null, maximize: d.maximize, differentiable: false
    } as RmspropOptions, options)
    requireNonNegative(defaults.lr, 'Invalid learning rate')
    requireNonNegative(defaults.eps, 'Invalid epsilon value')
    requireNonNegative(defaults.momentum, 'Invalid momentum value')
    requireNonNegative(defaults.weight_decay, 'Invalid weight_decay value')
    requireNonNegative(defaults.alpha, 'Invalid alpha value')
    rejectImplementationFlags(defaults)
    super(params, defaults)
  }

  protected initState(param: Tensor, group: ParamGroup<RmspropOptions>): ParamState {
    const state: ParamState = { step: Tensor.scalar(0), square_avg: zerosLike(param) }
    if (group.momentum > 0) state.momentum_buffer = zerosLike(param)
    if (group.centered) state.grad_avg = zerosLike(param)
    return state
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<RmspropOptions>): void {
    incrementStep(state) // counted, but unused by the update
    rmspropUpdate(param.data, grad.data, state.square_avg.data,
      group.centered ? state.grad_avg.data : null,
      group.momentum > 0 ? state.momentum_buffer.data : null, {
        lr: group.lr, alpha: group.alpha, eps: group.eps, weightDecay: group.weight_decay,
        momentum: group.momentum, maximize: group.maximize
      })
  }
}
