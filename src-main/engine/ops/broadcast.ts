import { record } from '../autograd/graph'
import { kernels } from '../kernels/kernels'
import { allocate } from '../tensor/dtype'
import { Tensor } from '../tensor/tensor'

/**
 * `a + b` for a matrix a [m, n] and a vector b [n], broadcast over the rows: the tutorial's
 * `x.mm(w1) + b1`. Recorded as PyTorch records it, `AddBackward0`; b's gradient sums the rows
 * (PyTorch's `sum_to_size`).
 */
export function addRow(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 1 || a.shape[1] !== b.shape[0]) {
    throw new Error(
      `The size of tensor a ([${a.shape.join(', ')}]) must match the size of tensor b ([${b.shape.join(', ')}]) at non-singleton dimension 1`
    )
  }
  if (a.dtype !== b.dtype) throw new Error(`expected both tensors to have dtype ${a.dtype}, got ${b.dtype}`)
  const [m, n] = a.shape
  const out = allocate(a.dtype, m * n)
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = a.data[i * n + j] + b.data[j]
  return record(new Tensor(out, a.shape), {
    name: 'AddBackward0',
    inputs: [a, b],
    backward: (g) => [g, b.requiresGrad ? sumRowsOf(g, m, n, a.dtype) : null]
  })
}

/** `t.sum(0)` of a matrix: the column sums (no autograd; the rungs' hand-derived bias gradients). */
export function sumRows(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new Error(`sumRows expects a matrix, got ${t.ndim}-D tensor`)
  return new Tensor(sumRowsOf(t.data, t.shape[0], t.shape[1], t.dtype), [t.shape[1]])
}

function sumRowsOf(g: Tensor['data'], rows: number, cols: number, dtype: Tensor['dtype']): Tensor['data'] {
  const out = allocate(dtype, cols)
  kernels().sumRows(g, out, rows, cols)
  return out
}
