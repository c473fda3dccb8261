/**
 * `Tensor.uniform_` and `torch.rand` on float32 (native/cpu/DistributionTemplates.h `uniform_kernel`).
 */

import * as float32 from '../numeric/float32'

// Bound once at load (see avx-mathfun.ts): keeps the hot loop inlinable under dev loaders.
const { f32, fma32 } = float32
import type { Generator } from './generator'

const FLT_MAX = 3.4028234663852886e38

/** torch's `check_uniform_bounds` for float32, same order and messages; runs even for empty tensors. */
function checkBounds(from: number, to: number): void {
  if (!(from >= -FLT_MAX && from <= FLT_MAX)) throw new RangeError('from is out of bounds for float')
  if (!(to >= -FLT_MAX && to <= FLT_MAX)) throw new RangeError('to is out of bounds for float')
  if (!(from <= to)) {
    throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`)
  }
  if (!(to - from <= FLT_MAX)) {
    throw new RangeError(`uniform_ expects to-from <= std::numeric_limits<Float>::max(), but found to=${to} and from=${from}`)
  }
}

/**
 * `out.uniform_(from, to)`: one draw per element, in memory order. The bounds are cast to float32
 * first, and `x * (to - from) + from` is a single FMA because the AVX2/AVX512 kernels are built
 * with GCC's FMA contraction (rounding twice changes about half of nn.Linear's weights).
 * Throws where torch raises (bounds not finite floats, from > to, to - from > FLT_MAX).
 */
export function uniformFill(gen: Generator, out: Float32Array, from = 0, to = 1): Float32Array {
  checkBounds(from, to)
  const lo = f32(from)
  const range = f32(f32(to) - lo)
  for (let i = 0; i < out.length; i++) out[i] = fma32(gen.uniform24(), range, lo)
  return out
}

/** `torch.rand`: `uniform_(0, 1)`, i.e. each value is exactly `(random() & 0xFFFFFF) * 2^-24`. */
export function randFill(gen: Generator, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = gen.uniform24()
  return out
}
