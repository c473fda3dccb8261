import { record } from '../autograd/graph'
import { kernels } from '../kernels/kernels'
import { allocate, rounderFor, type DType, type Storage } from '../tensor/dtype'
import { Tensor } from '../tensor/tensor'

/**
 * Activations keep their output for the backward pass, as PyTorch's do, and take the gradient
 * from it: relu′ = [out > 0] (0 at exactly 0), tanh′ = 1 − out², sigmoid′ = (1 − out)·out.
 */

/**
 * An activation's arithmetic on storages, shared by the recorded ops below and by the training
 * session's static step (train/static-step.ts): the same loops, so the same numbers.
 */
export interface ActivationMath {
  /** PyTorch's name of the backward node. */
  readonly name: string
  /** out = f(x), every element written. */
  forwardInto(x: Storage, out: Storage): void
  /** grad = g · f′, from the input x and the output out; every element written. */
  backwardInto(g: Storage, x: Storage, out: Storage, grad: Storage): void
}

/** f and its derivative one element at a time (tanh, sigmoid), rounded to `dtype`. */
function elementwise(
  name: string,
  dtype: DType,
  forward: (x: number) => number,
  derivative: (g: number, x: number, y: number) => number
): ActivationMath {
  const round = rounderFor(dtype)
  return {
    name,
    forwardInto(x, out) {
      for (let i = 0; i < out.length; i++) out[i] = forward(x[i])
    },
    backwardInto(g, x, out, grad) {
      for (let i = 0; i < grad.length; i++) grad[i] = round(derivative(g[i], x[i], out[i]))
    }
  }
}

/**
 * relu and leaky_relu run their own loops rather than `elementwise`'s callbacks: one call per
 * element through shared, polymorphic closures cost ≈ 10 % of a lesson step. Storing into the typed
 * array rounds once, exactly as `elementwise`'s explicit rounding does.
 */
function piecewiseLinear(name: string, relu: boolean, slope: number): ActivationMath {
  return {
    name,
    forwardInto(x, out) {
      const n = out.length
      // relu as PyTorch's clamp_min(x, 0): x < 0 ? 0 : x, so NaN and -0 pass through unchanged.
      if (relu) {
        if (!kernels().relu?.(x, out)) for (let i = 0; i < n; i++) out[i] = x[i] < 0 ? 0 : x[i]
      } else for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : x[i] * slope
    },
    backwardInto(g, x, out, grad) {
      const n = grad.length
      // relu′ from the output as threshold_backward does (0 where out ≤ 0, so at ±0; NaN passes
      // the gradient), leaky_relu′ from the input.
      if (relu) {
        if (!kernels().reluBackward?.(out, g, grad)) for (let i = 0; i < n; i++) grad[i] = out[i] <= 0 ? 0 : g[i]
      } else for (let i = 0; i < n; i++) grad[i] = x[i] > 0 ? g[i] : g[i] * slope
    }
  }
}

const RELU = piecewiseLinear('ReluBackward0', true, 0)

export function reluMath(): ActivationMath {
  return RELU
}

export function leakyReluMath(dtype: DType, negativeSlope = 0.01): ActivationMath {
  return piecewiseLinear('LeakyReluBackward0', false, rounderFor(dtype)(negativeSlope))
}

export function tanhMath(dtype: DType): ActivationMath {
  const round = rounderFor(dtype)
  return elementwise('TanhBackward0', dtype, Math.tanh, (g, _x, y) => g * round(1 - round(y * y)))
}

export function sigmoidMath(dtype: DType): ActivationMath {
  const round = rounderFor(dtype)
  return elementwise('SigmoidBackward0', dtype, (x) => 1 / (1 + Math.exp(-x)), (g, _x, y) => round(g * round(1 - y)) * y)
}

/** The recorded op: f(a) into a new storage, its backward into another. */
function activate(a: Tensor, math: ActivationMath): Tensor {
  // Every element is written: no zeroing (see allocate).
  const out = allocate(a.dtype, a.numel, false)
  const x = a.data
  math.forwardInto(x, out)
  return record(new Tensor(out, a.shape), {
    name: math.name,
    inputs: [a],
    backward: (g: Storage) => {
      const grad = allocate(a.dtype, a.numel, false)
      math.backwardInto(g, x, out, grad)
      return [grad]
    }
  })
}

export function relu(a: Tensor): Tensor {
  return activate(a, RELU)
}

export function tanh(a: Tensor): Tensor {
  return activate(a, tanhMath(a.dtype))
}

export function sigmoid(a: Tensor): Tensor {
  return activate(a, sigmoidMath(a.dtype))
}

export function leakyRelu(a: Tensor, negativeSlope = 0.01): Tensor {
  return activate(a, leakyReluMath(a.dtype, negativeSlope))
}
