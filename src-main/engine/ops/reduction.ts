import { record } from '../autograd/graph'
import { kernels } from '../kernels/kernels'
import { allocate, rounderFor } from '../tensor/dtype'
import { Tensor } from '../tensor/tensor'

/** Sum of all elements (`a.sum()`), accumulated in double and rounded once. */
export function sum(a: Tensor): Tensor {
  const total = Tensor.scalar(kernels().sum(a.data), a.dtype)
  return record(total, {
    name: 'SumBackward0',
    inputs: [a],
    backward: (g) => [allocate(a.dtype, a.numel).fill(g[0])]
  })
}

/** Mean of all elements (`a.mean()`). */
export function mean(a: Tensor): Tensor {
  const round = rounderFor(a.dtype)
  const total = Tensor.scalar(round(kernels().sum(a.data)) / a.numel, a.dtype)
  return record(total, {
    name: 'MeanBackward0',
    inputs: [a],
    backward: (g) => [allocate(a.dtype, a.numel).fill(round(g[0] / a.numel))]
  })
}
