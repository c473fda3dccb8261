import { record } from '../autograd/graph'
import { kernels } from '../kernels/kernels'
import { allocate, rounderFor } from '../tensor/dtype'
import { Tensor } from '../tensor/tensor'

export type LossReduction = 'sum' | 'mean' | 'none'

/**
 * `F.mse_loss(input, target, reduction)`. Forward squares f32(input − target) element-wise and
 * reduces in double (torch-spec §6). Backward follows ATen's `mse_loss_backward` factor order:
 * norm · (input − target) · grad, with norm = 2 or 2/numel rounded to the dtype.
 */
export function mseLoss(input: Tensor, target: Tensor, reduction: LossReduction = 'mean'): Tensor {
  if (input.shape.join() !== target.shape.join()) {
    throw new Error(
      `The size of tensor a ([${input.shape.join(', ')}]) must match the size of tensor b ([${target.shape.join(', ')}])`
    )
  }
  if (input.dtype !== target.dtype) {
    throw new Error(`expected both tensors to have dtype ${input.dtype}, got ${target.dtype}`)
  }
  const round = rounderFor(input.dtype)
  const n = input.numel
  const diff = allocate(input.dtype, n)
  const squares = allocate(input.dtype, n)
  for (let i = 0; i < n; i++) {
    diff[i] = input.data[i] - target.data[i]
    squares[i] = diff[i] * diff[i]
  }
  let output: Tensor
  if (reduction === 'none') output = new Tensor(squares, input.shape)
  else {
    const total = round(kernels().sum(squares))
    output = Tensor.scalar(reduction === 'sum' ? total : total / n, input.dtype)
  }
  const norm = round(reduction === 'mean' ? 2 / n : 2)
  return record(output, {
    name: 'MseLossBackward0',
    inputs: [input, target],
    backward: (g) => {
      const gradIn = allocate(input.dtype, n)
      for (let i = 0; i < n; i++) {
        const upstream = reduction === 'none' ? g[i] : g[0]
        gradIn[i] = round(norm * diff[i]) * upstream
      }
      let gradTarget = null
      if (target.requiresGrad) {
        gradTarget = gradIn.slice()
        for (let i = 0; i < n; i++) gradTarget[i] = -gradTarget[i]
      }
      return [gradIn, gradTarget]
    }
  })
}
