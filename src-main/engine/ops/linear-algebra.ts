import { record } from '../autograd/graph'
import { kernels } from '../kernels/kernels'
import { allocate, allocateLasting } from '../tensor/dtype'
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
  kernels().matmul(x.data, weight.data, out, batch, inFeatures, outFeatures, false, true, bias?.data)
  const inputs = bias ? [x, weight, bias] : [x, weight]
  return record(new Tensor(out, [batch, outFeatures]), {
    name: bias ? 'AddmmBackward0' : 'MmBackward0',
    inputs,
    backward: (g) => {
      let gx = null
      let gw = null
      let gb = null
      if (x.requiresGrad) {
        gx = allocate(x.dtype, batch * inFeatures, false)
        kernels().matmul(g, weight.data, gx, batch, outFeatures, inFeatures, false, false) // g · W
      }
      if (weight.requiresGrad) {
        // a leaf's gradient lasts until zero_grad: where the kernels can keep it, the optimizer reads it in place
        gw = (weight.isLeaf ? allocateLasting : allocate)(x.dtype, outFeatures * inFeatures, false)
        kernels().matmul(g, x.data, gw, outFeatures, batch, inFeatures, true, false) // gᵀ · x
      }
      if (bias?.requiresGrad) {
        gb = allocate(x.dtype, outFeatures)
        kernels().sumRows(g, gb, batch, outFeatures)
      }
      return bias ? [gx, gw, gb] : [gx, gw]
    }
  })
}
