import type { Storage } from '../tensor/dtype'
import type { Kernels } from './kernels'

/**
 * Reference kernels in plain TypeScript. Dot products accumulate in double and round once when
 * stored: that reproduces PyTorch's `loss[0]` to the last bit, whatever order its BLAS sums in.
 */
export const typescriptKernels: Kernels = {
  name: 'typescript',

  matmul(a, b, out, m, k, n, transA, transB, bias) {
    if (transB && !transA) {
      // Rows of a against rows of b: both contiguous.
      for (let i = 0; i < m; i++) {
        const aRow = i * k
        for (let j = 0; j < n; j++) {
          const bRow = j * k
          let acc = bias ? bias[j] : 0
          for (let p = 0; p < k; p++) acc += a[aRow + p] * b[bRow + p]
          out[i * n + j] = acc
        }
      }
      return
    }
    const acc = new Float64Array(n)
    for (let i = 0; i < m; i++) {
      if (bias) acc.set(bias)
      else acc.fill(0)
      for (let p = 0; p < k; p++) {
        const s = transA ? a[p * m + i] : a[i * k + p]
        if (s === 0) continue
        if (transB) {
          for (let j = 0; j < n; j++) acc[j] += s * b[j * k + p]
        } else {
          const bRow = p * n
          for (let j = 0; j < n; j++) acc[j] += s * b[bRow + j]
        }
      }
      out.set(acc, i * n)
    }
  },

  sum(a) {
    let acc = 0
    for (let i = 0; i < a.length; i++) acc += a[i]
    return acc
  },

  sumRows(a, out, rows, cols) {
    const acc = new Float64Array(cols)
    for (let r = 0; r < rows; r++) {
      const row = r * cols
      for (let c = 0; c < cols; c++) acc[c] += a[row + c]
    }
    out.set(acc as unknown as Storage)
  }
}
