import { allocate, type Storage } from '../tensor/dtype'
import type { Kernels } from './kernels'

/**
 * Sums of at most this many terms are too short for any BLAS to block or vectorise: reference BLAS
 * and MKL both add them in order, in float32, and add the bias afterwards. Doing the same makes
 * tiny layers bit-exact with PyTorch (checked on the small_seed7 fixture of both torches).
 */
export const SEQUENTIAL_FLOAT32_MAX_TERMS = 8

/** Short float32 products summed in order, as BLAS does (see SEQUENTIAL_FLOAT32_MAX_TERMS). */
function shortMatmulFloat32(
  a: Storage,
  b: Storage,
  out: Storage,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  bias?: Storage
): void {
  const f = Math.fround
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0
      for (let p = 0; p < k; p++) {
        acc = f(acc + f((transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j])))
      }
      out[i * n + j] = bias ? acc + bias[j] : acc
    }
  }
}

/**
 * Terms per float32 partial sum in longer float32 products (must equal F32_BLOCK in
 * src-wasm/kernels.ts): see blockedMatmulFloat32.
 */
export const F32_BLOCK = 8

/**
 * Longer float32 products: each output starts at the bias (or 0) in double; the terms are taken in
 * order of p in blocks of F32_BLOCK, each block summed in float32 (every product and every sum
 * rounded to float32), and each block's sum added in double; one rounding when stored. The short
 * float32 sums are what SIMD lanes compute fast; adding the blocks in double keeps a long sum's
 * error near double's (one unfused float32 sum over the whole of k made Adadelta drift from PyTorch past the
 * parity tolerance). The WebAssembly kernels sum in exactly this order (bit for bit) where they cannot
 * use fused multiply-adds; see wasm-kernels.ts.
 */
function blockedMatmulFloat32(
  a: Storage,
  b: Storage,
  out: Storage,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  bias?: Storage
): void {
  const f = Math.fround
  if (transB && !transA) {
    // Rows of a against rows of b: both contiguous. Whole blocks written out (F32_BLOCK = 8): about
    // twice as fast in V8 as the loop (the parity suite runs this kernel for every step it checks).
    const whole = k - (k % F32_BLOCK)
    for (let i = 0; i < m; i++) {
      const aRow = i * k
      for (let j = 0; j < n; j++) {
        const bRow = j * k
        let acc = bias ? bias[j] : 0
        let p = 0
        for (; p < whole; p += F32_BLOCK) {
          const x = aRow + p
          const y = bRow + p
          let s = f(0 + f(a[x] * b[y]))
          s = f(s + f(a[x + 1] * b[y + 1]))
          s = f(s + f(a[x + 2] * b[y + 2]))
          s = f(s + f(a[x + 3] * b[y + 3]))
          s = f(s + f(a[x + 4] * b[y + 4]))
          s = f(s + f(a[x + 5] * b[y + 5]))
          s = f(s + f(a[x + 6] * b[y + 6]))
          s = f(s + f(a[x + 7] * b[y + 7]))
          acc += s
        }
        if (p < k) {
          let s = 0
          for (; p < k; p++) s = f(s + f(a[aRow + p] * b[bRow + p]))
          acc += s
        }
        out[i * n + j] = acc
      }
    }
    return
  }
  // A(i, p) broadcast against row p of op(b); the block's float32 sums live in a Float32Array
  // (each store rounds the sum of two float32 values: the float32 sum exactly).
  // Scratch from allocate: a slab's space, not an ArrayBuffer of its own per call (see dtype.ts).
  const acc = allocate('float64', n)
  const part = allocate('float32', n)
  for (let i = 0; i < m; i++) {
    if (bias) acc.set(bias.subarray(0, n))
    else acc.fill(0)
    for (let p0 = 0; p0 < k; p0 += F32_BLOCK) {
      const p1 = Math.min(p0 + F32_BLOCK, k)
      part.fill(0)
      for (let p = p0; p < p1; p++) {
        const s = transA ? a[p * m + i] : a[i * k + p]
        if (transB) {
          for (let j = 0; j < n; j++) part[j] = part[j] + f(s * b[j * k + p])
        } else {
          const bRow = p * n
          for (let j = 0; j < n; j++) part[j] = part[j] + f(s * b[bRow + j])
        }
      }
      for (let j = 0; j < n; j++) acc[j] += part[j]
    }
    out.set(acc, i * n)
  }
}

/**
 * Reference kernels in plain TypeScript. float64 dot products accumulate in double; float32 ones
 * in float32 blocks added in double (blockedMatmulFloat32) and round once when stored: both
 * reproduce PyTorch's `loss[0]` to the last bit, whatever order its BLAS sums in.
 */
export const typescriptKernels: Kernels = {
  name: 'typescript',

  matmul(a, b, out, m, k, n, transA, transB, bias) {
    if (out instanceof Float32Array) {
      if (k <= SEQUENTIAL_FLOAT32_MAX_TERMS) shortMatmulFloat32(a, b, out, m, k, n, transA, transB, bias)
      else blockedMatmulFloat32(a, b, out, m, k, n, transA, transB, bias)
      return
    }
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
    const acc = allocate('float64', n)
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
    const round = a instanceof Float32Array && a.length <= SEQUENTIAL_FLOAT32_MAX_TERMS ? Math.fround : null
    let acc = 0
    for (let i = 0; i < a.length; i++) acc = round ? round(acc + a[i]) : acc + a[i]
    return acc
  },

  sumRows(a, out, rows, cols) {
    const acc = allocate('float64', cols)
    const round = a instanceof Float32Array && rows <= SEQUENTIAL_FLOAT32_MAX_TERMS ? Math.fround : null
    for (let r = 0; r < rows; r++) {
      const row = r * cols
      for (let c = 0; c < cols; c++) acc[c] = round ? round(acc[c] + a[row + c]) : acc[c] + a[row + c]
    }
    out.set(acc)
  }
}
