import type { Tensor } from '../tensor/tensor'
import { dtypeOf, rounderFor, type Storage } from '../tensor/dtype'
import { OPTIMIZER_DEFAULTS } from '../../shared/config'
import * as pointwise from './pointwise'
import {
  Optimizer, ValueError, isFloat32, zerosLike, rejectImplementationFlags, requireNonNegative, resolveOptions,
  type ParamGroup, type ParamState, type ParamsInput
} from './optimizer'

// Bound once, so the hot loops call plain functions under every loader (see pointwise.ts)
const { add32, add64 } = pointwise

/**
 * SGD with momentum (Sutskever et al., 2013, http://proceedings.mlr.press/v28/sutskever13.html),
 * as `torch.optim.SGD` computes it:
 *
 *   g ← ∇θ  (−∇θ if maximize)
 *   if λ ≠ 0:  g ← g + λθ
 *   if μ ≠ 0:  b ← g on the first step, else μb + (1 − τ)g
 *              g ← nesterov ? g + μb : b
 *   θ ← θ − γg
 *
 * γ lr, μ momentum, τ dampening, λ weight_decay. State: `momentum_buffer`, only when μ ≠ 0.
 */
export type SgdOptions = {
  lr: number
  momentum: number
  dampening: number
  weight_decay: number
  nesterov: boolean
  maximize: boolean
  foreach: boolean | null
  differentiable: boolean
  fused: boolean | null
}

export interface SgdScalars {
  lr: number
  momentum: number
  dampening: number
  weightDecay: number
  nesterov: boolean
  maximize: boolean
}

/** One SGD update in place. `momentumBuffer` is null without momentum; `firstStep` starts it as g. */
export function sgdUpdate(
  param: Storage, grad: Storage, momentumBuffer: Storage | null, firstStep: boolean, s: SgdScalars
): void {
  const buf = momentumBuffer
  const R = rounderFor(dtypeOf(param)) // a Python float meeting the tensor: float32 rounds it, float64 keeps it
  const wd = R(s.weightDecay), momentum = R(s.momentum), oneMinusDampening = R(1 - s.dampening), negLr = R(-s.lr)
  if (isFloat32(param)) {
    const F = Math.fround
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (s.weightDecay !== 0) g = add32(g, param[i], wd)
      if (buf !== null) {
        const b = (buf[i] = firstStep ? g : add32(F(buf[i] * momentum), g, oneMinusDampening))
        g = s.nesterov ? add32(g, b, momentum) : b
      }
      param[i] = add32(param[i], g, negLr)
    }
  } else {
    for (let i = 0; i < param.length; i++) {
      let g = s.maximize ? -grad[i] : grad[i]
      if (s.weightDecay !== 0) g = add64(g, param[i], wd)
      if (buf !== null) {
        const b = (buf[i] = firstStep ? g : add64(buf[i] * momentum, g, oneMinusDampening))
        g = s.nesterov ? add64(g, b, momentum) : b
      }
      param[i] = add64(param[i], g, negLr)
    }
  }
}

export class SGD extends Optimizer<SgdOptions> {
  constructor(params: ParamsInput<SgdOptions>, options: Partial<SgdOptions> = {}) {
    const d = OPTIMIZER_DEFAULTS.SGD
    const defaults = resolveOptions('SGD', {
      lr: d.lr, momentum: d.momentum, dampening: d.dampening, weight_decay: d.weight_decay, nesterov: d.nesterov,
      maximize: d.maximize, foreach: null, differentiable: false, fused: null
    } as SgdOptions, options)
    requireNonNegative(defaults.lr, 'Invalid learning rate')
    requireNonNegative(defaults.momentum, 'Invalid momentum value')
    requireNonNegative(defaults.weight_decay, 'Invalid weight_decay value')
    if (defaults.nesterov && (!(defaults.momentum > 0) || defaults.dampening !== 0)) {
      throw new ValueError('Nesterov momentum requires a momentum and zero dampening')
    }
    rejectImplementationFlags(defaults)
    super(params, defaults)
  }

  protected initState(_param: Tensor, group: ParamGroup<SgdOptions>): ParamState | undefined {
    return group.momentum !== 0 ? {} : undefined
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<SgdOptions>): void {
    const firstStep = group.momentum !== 0 && state.momentum_buffer === undefined
    if (firstStep) state.momentum_buffer = zerosLike(param) // filled with the first g by the kernel
    const buffer = group.momentum !== 0 ? state.momentum_buffer.data : null
    sgdUpdate(param.data, grad.data, buffer, firstStep, {
      lr: group.lr, momentum: group.momentum, dampening: group.dampening, weightDecay: group.weight_decay,
      nesterov: group.nesterov, maximize: group.maximize
    })
  }
}
