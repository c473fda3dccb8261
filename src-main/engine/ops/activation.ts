import { record } from '../autograd/graph'
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

export function relu(a: Tensor): Tensor {
  return unary(a, 'ReluBackward0', (x) => (x > 0 ? x : 0), (g, _x, y) => (y > 0 ? g : 0))
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
  const slope = rounderFor(a.dtype)(negativeSlope)
  return unary(
    a,
    'LeakyReluBackward0',
    (x) => (x > 0 ? x : x * slope),
    (g, x) => (x > 0 ? g : g * slope)
  )
}
