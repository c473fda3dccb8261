import { fma32 } from '../../../src-main/engine/numeric/float32'

/**
 * What the relaxed build's float32 products compute where relaxed madd is fused (mm_seq_f32 in
 * src-wasm/kernels.ts), element by element: one float32 running sum per output over p in order,
 * from 0, each term added by a fused multiply-add (fma32: exactly one rounding), then the bias added
 * in float32. A model for the tests, slow and plain.
 */
export function fusedSequentialMatmul(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  bias?: Float32Array
): Float32Array {
  const out = new Float32Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0
      for (let p = 0; p < k; p++) acc = fma32(transA ? a[p * m + i] : a[i * k + p], transB ? b[j * k + p] : b[p * n + j], acc)
      out[i * n + j] = bias ? Math.fround(acc + bias[j]) : acc
    }
  }
  return out
}
