import { record } from '../autograd/graph'
import { kernels } from '../kernels/kernels'
import { allocate, allocateLasting, type Storage } from '../tensor/dtype'
import { Tensor } from '../tensor/tensor'

function expectMatrix(t: Tensor, what: string): void {
  if (t.ndim !== 2) throw new Error(`${what} must be a matrix, got ${t.ndim}-D tensor`)
}

function expectSameDtype(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new Error(`expected m1 and m2 to have the same dtype, but got: ${a.dtype} != ${b.dtype}`)
  }
}

function shapesCannotMultiply(r1: number, c1: number, r2: number, c2: number): Error {
  return new Error(`mat1 and mat2 shapes cannot be multiplied (${r1}x${c1} and ${r2}x${c2})`)
}

/** Matrix product `a @ b` (`torch.mm`). */
export function mm(a: Tensor, b: Tensor): Tensor {
  expectMatrix(a, 'self')
  expectMatrix(b, 'mat2')
  expectSameDtype(a, b)
  const [m, k] = a.shape
  const [k2, n] = b.shape
  if (k !== k2) throw shapesCannotMultiply(m, k, k2, n)
  // Products overwrite their whole output: no zeroing (see allocate).
  const out = allocate(a.dtype, m * n, false)
  kernels().matmul(a.data, b.data, out, m, k, n, false, false)
  return record(new Tensor(out, [m, n]), {
    name: 'MmBackward0',
    inputs: [a, b],
    backward: (g) => {
      let ga = null
      let gb = null
      if (a.requiresGrad) {
        ga = (a.isLeaf ? allocateLasting : allocate)(a.dtype, m * k, false)
        kernels().matmul(g, b.data, ga, m, n, k, false, true) // g · bᵀ
      }
      if (b.requiresGrad) {
        gb = (b.isLeaf ? allocateLasting : allocate)(a.dtype, k * n, false)
        kernels().matmul(a.data, g, gb, k, m, n, true, false) // aᵀ · g
      }
      return [ga, gb]
    }
  })
}

/** Transpose of a matrix (`a.t()`), materialised. */
export function t(a: Tensor): Tensor {
  expectMatrix(a, 'input')
  const [r, c] = a.shape
  const transpose = (src: Tensor['data'], rows: number, cols: number): Tensor['data'] => {
    const out = allocate(a.dtype, rows * cols)
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = src[i * cols + j]
    return out
  }
  return record(new Tensor(transpose(a.data, r, c), [c, r]), {
    name: 'TBackward0',
    inputs: [a],
    backward: (g) => [transpose(g, c, r)]
  })
}

/**
 * linear's arithmetic on storages, shared by the recorded op below and by the training session's
 * static step (train/static-step.ts), so that both make the same kernel calls: x·weightᵀ (+ bias).
 */
export function linearForwardInto(x: Storage, weight: Storage, bias: Storage | null, out: Storage, batch: number, inFeatures: number, outFeatures: number): void {
  kernels().matmul(x, weight, out, batch, inFeatures, outFeatures, false, true, bias ?? undefined)
}

/** linear's backward from the output's gradient g into each gradient asked for (null: not wanted). */
export function linearBackwardInto(
  g: Storage, x: Storage, weight: Storage, gx: Storage | null, gw: Storage | null, gb: Storage | null,
  batch: number, inFeatures: number, outFeatures: number
): void {
  if (gx) kernels().matmul(g, weight, gx, batch, outFeatures, inFeatures, false, false) // g · W
  if (gw) kernels().matmul(g, x, gw, outFeatures, batch, inFeatures, true, false) // gᵀ · x
  if (gb) kernels().sumRows(g, gb, batch, outFeatures)
}

/**
 * `F.linear(x, weight, bias)` = x · weightᵀ + bias, with weight stored [out, in] as in PyTorch.
 * For a 2-D input with bias PyTorch records it as one `addmm`, hence `AddmmBackward0`.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  expectMatrix(x, 'input')
  expectMatrix(weight, 'weight')
  expectSameDtype(x, weight)
  const [batch, inFeatures] = x.shape
  const [outFeatures, weightIn] = weight.shape
  if (inFeatures !== weightIn) throw shapesCannotMultiply(batch, inFeatures, weightIn, outFeatures)
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new Error(`bias must have shape [${outFeatures}], got [${bias.shape.join(', ')}]`)
  }
  const out = allocate(x.dtype, batch * outFeatures, false)
  linearForwardInto(x.data, weight.data, bias?.data ?? null, out, batch, inFeatures, outFeatures)
  const inputs = bias ? [x, weight, bias] : [x, weight]
  return record(new Tensor(out, [batch, outFeatures]), {
    name: bias ? 'AddmmBackward0' : 'MmBackward0',
    inputs,
    backward: (g) => {
      const gx = x.requiresGrad ? allocate(x.dtype, batch * inFeatures, false) : null
      // a leaf's gradient lasts until zero_grad: where the kernels can keep it, the optimizer reads it in place
      const gw = weight.requiresGrad ? (weight.isLeaf ? allocateLasting : allocate)(x.dtype, outFeatures * inFeatures, false) : null
      const gb = bias?.requiresGrad ? allocate(x.dtype, outFeatures) : null
      linearBackwardInto(g, x.data, weight.data, gx, gw, gb, batch, inFeatures, outFeatures)
      return bias ? [gx, gw, gb] : [gx, gw]
    }
  })
}
