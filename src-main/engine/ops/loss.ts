import { record } from '../autograd/graph'
import { kernels } from '../kernels/kernels'
import { allocate, copyOf, dtypeOf, rounderFor, type DType, type Storage } from '../tensor/dtype'
import { Tensor } from '../tensor/tensor'

export type LossReduction = 'sum' | 'mean' | 'none'

/**
 * mse_loss's arithmetic on storages, shared by the recorded op below and by the training session's
 * static step (train/static-step.ts): diff = f32(input − target) and squares = diff², element-wise.
 */
export function mseTermsInto(input: Storage, target: Storage, diff: Storage, squares: Storage): void {
  for (let i = 0; i < input.length; i++) {
    diff[i] = input[i] - target[i]
    squares[i] = diff[i] * diff[i]
  }
}

/** Σ squares (summed by the kernels in double, rounded to the dtype), or that over their number for 'mean'. */
export function mseReduce(squares: Storage, reduction: 'sum' | 'mean'): number {
  const total = rounderFor(dtypeOf(squares))(kernels().sum(squares))
  return reduction === 'sum' ? total : total / squares.length
}

/** The factor of mse_loss's backward: 2, or 2/numel for 'mean', rounded to the dtype. */
export function mseNorm(dtype: DType, reduction: LossReduction, n: number): number {
  return rounderFor(dtype)(reduction === 'mean' ? 2 / n : 2)
}

/**
 * mse_loss's backward into gradIn, in ATen's factor order: norm · diff · upstream, where upstream
 * is g[i] ('none') or g[0].
 */
export function mseBackwardInto(diff: Storage, g: Storage, gradIn: Storage, norm: number, perElement: boolean): void {
  const round = rounderFor(dtypeOf(diff))
  for (let i = 0; i < gradIn.length; i++) {
    const upstream = perElement ? g[i] : g[0]
    gradIn[i] = round(norm * diff[i]) * upstream
  }
}

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
  const n = input.numel
  const diff = allocate(input.dtype, n)
  const squares = allocate(input.dtype, n)
  mseTermsInto(input.data, target.data, diff, squares)
  const output = reduction === 'none' ? new Tensor(squares, input.shape) : Tensor.scalar(mseReduce(squares, reduction), input.dtype)
  const norm = mseNorm(input.dtype, reduction, n)
  return record(output, {
    name: 'MseLossBackward0',
    inputs: [input, target],
    backward: (g) => {
      const gradIn = allocate(input.dtype, n)
      mseBackwardInto(diff, g, gradIn, norm, reduction === 'none')
      let gradTarget = null
      if (target.requiresGrad) {
        gradTarget = copyOf(gradIn)
        for (let i = 0; i < n; i++) gradTarget[i] = -gradTarget[i]
      }
      return [gradIn, gradTarget]
    }
  })
}

/** Class-index targets of a classification loss: integers in [0, C), or `ignoreIndex`. */
export type ClassTargets = ArrayLike<number>

/**
 * `F.log_softmax(input, dim=1)` of an [N, C] input. Per row, as ATen's CPU kernel: m = max(x),
 * s = Σ exp(x − m) (summed in double), out = x − m − log(s), each result rounded to the dtype.
 * Backward (`_log_softmax_backward_data`): grad_in = g − exp(out) · Σ g, per row.
 */
export function logSoftmax(input: Tensor): Tensor {
  if (input.ndim !== 2) throw new Error(`log_softmax here takes an [N, C] input, got [${input.shape.join(', ')}]`)
  const [n, c] = input.shape
  const round = rounderFor(input.dtype)
  const x = input.data
  const out = allocate(input.dtype, n * c)
  for (let i = 0; i < n; i++) {
    const row = i * c
    let max = -Infinity
    for (let j = 0; j < c; j++) max = Math.max(max, x[row + j])
    let sum = 0
    for (let j = 0; j < c; j++) sum += round(Math.exp(round(x[row + j] - max)))
    const logSum = round(Math.log(round(sum)))
    for (let j = 0; j < c; j++) out[row + j] = round(round(x[row + j] - max) - logSum)
  }
  return record(new Tensor(out, input.shape), {
    name: 'LogSoftmaxBackward0',
    inputs: [input],
    backward: (g) => {
      const grad = allocate(input.dtype, n * c)
      for (let i = 0; i < n; i++) {
        const row = i * c
        let sum = 0
        for (let j = 0; j < c; j++) sum += g[row + j]
        const total = round(sum)
        for (let j = 0; j < c; j++) grad[row + j] = round(g[row + j] - round(round(Math.exp(out[row + j])) * total))
      }
      return [grad]
    }
  })
}

/**
 * `F.nll_loss(input, target, reduction, ignore_index)` for [N, C] log-probabilities and N class
 * indices: −input[i, target[i]], summed (in double, as ATen accumulates float on the CPU), averaged
 * over the targets not ignored ('mean'), or kept per sample ('none'). Errors read as PyTorch's.
 */
export function nllLoss(input: Tensor, target: ClassTargets, reduction: LossReduction = 'mean', ignoreIndex = -100): Tensor {
  if (input.ndim !== 2) throw new Error(`nll_loss here takes an [N, C] input, got [${input.shape.join(', ')}]`)
  const [n, c] = input.shape
  if (target.length !== n) throw new Error(`Expected input batch_size (${n}) to match target batch_size (${target.length}).`)
  for (let i = 0; i < n; i++) {
    const k = target[i]
    if (!Number.isInteger(k)) throw new Error(`expected class indices (integers) as targets, got ${k}`)
    if (k !== ignoreIndex && (k < 0 || k >= c)) throw new Error(`Target ${k} is out of bounds.`)
  }
  const round = rounderFor(input.dtype)
  const x = input.data
  const counted = Array.from(target, (k) => k !== ignoreIndex)
  const perSample = allocate(input.dtype, n)
  let total = 0
  let weight = 0
  for (let i = 0; i < n; i++) {
    if (!counted[i]) continue
    perSample[i] = -x[i * c + target[i]]
    total += perSample[i]
    weight += 1
  }
  let output: Tensor
  if (reduction === 'none') output = new Tensor(perSample, [n])
  else if (reduction === 'sum') output = Tensor.scalar(round(total), input.dtype)
  // 0/0 = nan when every target is ignored, as in PyTorch.
  else output = Tensor.scalar(round(round(total) / weight), input.dtype)
  return record(output, {
    name: 'NllLossBackward0',
    inputs: [input],
    backward: (g) => {
      const grad = allocate(input.dtype, n * c)
      const scale = reduction === 'mean' ? round(1 / weight) : 1
      for (let i = 0; i < n; i++) {
        if (!counted[i]) continue
        const upstream = reduction === 'none' ? g[i] : g[0]
        grad[i * c + target[i]] = round(-upstream * scale)
      }
      return [grad]
    }
  })
}

/** `F.cross_entropy(input, target)` with class indices: PyTorch's nll_loss(log_softmax(input, 1)). */
export function crossEntropyLoss(input: Tensor, target: ClassTargets, reduction: LossReduction = 'mean', ignoreIndex = -100): Tensor {
  return nllLoss(logSoftmax(input), target, reduction, ignoreIndex)
}
