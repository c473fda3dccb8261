import { record } from '../autograd/graph'
import { kernels } from '../kernels/kernels'
import { allocate, rounderFor, type Storage } from '../tensor/dtype'
import { Tensor } from '../tensor/tensor'

/**
 * Activations keep their output for the backward pass, as PyTorch's do, and take the gradient
 * from it: relu′ = [out > 0] (0 at exactly 0), tanh′ = 1 − out², sigmoid′ = (1 − out)·out.
 */

function unary(
  a: Tensor,
  name: string,
  forward: (x: number) => number,
  derivative: (g: number, x: number, y: number) => number
): Tensor {
  const round = rounderFor(a.dtype)
  const out = allocate(a.dtype, a.numel)
  const x = a.data
  for (let i = 0; i < out.length; i++) out[i] = forward(x[i])
  const result = new Tensor(out, a.shape)
  return record(result, {
    name,
    inputs: [a],
    backward: (g: Storage) => {
      const grad = allocate(a.dtype, a.numel)
      for (let i = 0; i < grad.length; i++) grad[i] = round(derivative(g[i], x[i], out[i]))
      return [grad]
    }
  })
}

/**
 * relu and leaky_relu run their own loops rather than `unary`'s callbacks: one call per element
 * through shared, polymorphic closures cost ≈ 10 % of a lesson step. Storing into the typed array
 * rounds once, exactly as `unary`'s explicit rounding does.
 */
function piecewiseLinear(a: Tensor, name: string, relu: boolean, slope: number): Tensor {
  // Every element is written below: no zeroing (see allocate).
  const out = allocate(a.dtype, a.numel, false)
  const x = a.data
  const n = out.length
  // relu as PyTorch's clamp_min(x, 0): x < 0 ? 0 : x, so NaN and -0 pass through unchanged.
  if (relu) {
    if (!kernels().relu?.(x, out)) for (let i = 0; i < n; i++) out[i] = x[i] < 0 ? 0 : x[i]
  } else for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : x[i] * slope
  return record(new Tensor(out, a.shape), {
    name,
    inputs: [a],
    backward: (g: Storage) => {
      const grad = allocate(a.dtype, n, false)
      // relu′ from the output as threshold_backward does (0 where out ≤ 0, so at ±0; NaN passes
      // the gradient), leaky_relu′ from the input.
      if (relu) {
        if (!kernels().reluBackward?.(out, g, grad)) for (let i = 0; i < n; i++) grad[i] = out[i] <= 0 ? 0 : g[i]
      } else for (let i = 0; i < n; i++) grad[i] = x[i] > 0 ? g[i] : g[i] * slope
      return [grad]
    }
  })
}

export function relu(a: Tensor): Tensor {
  return piecewiseLinear(a, 'ReluBackward0', true, 0)
}

export function tanh(a: Tensor): Tensor {
  const round = rounderFor(a.dtype)
  return unary(a, 'TanhBackward0', Math.tanh, (g, _x, y) => g * round(1 - round(y * y)))
}

export function sigmoid(a: Tensor): Tensor {
  const round = rounderFor(a.dtype)
  return unary(
    a,
    'SigmoidBackward0',
    (x) => 1 / (1 + Math.exp(-x)),
    (g, _x, y) => round(g * round(1 - y)) * y
  )
}

export function leakyRelu(a: Tensor, negativeSlope = 0.01): Tensor {
  return piecewiseLinear(a, 'LeakyReluBackward0', false, rounderFor(a.dtype)(negativeSlope))
}
