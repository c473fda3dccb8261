/**
 * `Tensor.normal_(mean, std)` and `torch.randn` on float32, as the x86-64 AVX2 kernel computes them
 * (native/cpu/DistributionTemplates.h `normal_kernel`; torch 1.13 to 2.13 alike, see torch-spec §2.5).
 */

import * as float32 from '../numeric/float32'
import * as mathfun from './avx-mathfun'
import type { SinCos } from './avx-mathfun'

// Bound once at load (see avx-mathfun.ts): keeps the hot loop inlinable under dev loaders.
const { f32, fma32 } = float32
const { logPs, sincosPs } = mathfun
import type { Generator } from './generator'

const TWO_PI = f32(2 * Math.PI)
const sc: SinCos = { sin: 0, cos: 0 }

/**
 * Box-Muller on d[off .. off+16) in place, like `normal_fill_16_AVX2`: lane j (radius, from 1 - u)
 * pairs with lane j+8 (angle), not with its neighbour.
 */
function boxMuller16(d: Float32Array, off: number, mean: number, std: number): void {
  for (let j = off; j < off + 8; j++) {
    const u1 = 1 - d[j] // exact in float32, in (0, 1]
    const radius = f32(Math.sqrt(f32(-2 * logPs(u1))))
    sincosPs(f32(TWO_PI * d[j + 8]), sc)
    d[j] = fma32(f32(radius * sc.cos), std, mean)
    d[j + 8] = fma32(f32(radius * sc.sin), std, mean)
  }
}

/**
 * `normal_fill`, for contiguous tensors with numel >= 16: all uniforms first, then every 16-block
 * that fits. If numel % 16 != 0, the last 16 slots get 16 *new* draws and are transformed again,
 * overwriting values the last full block produced. Draws: numel, plus 16 if there is a tail.
 */
function normalFillVectorised(gen: Generator, d: Float32Array, mean: number, std: number): void {
  const n = d.length
  const m = f32(mean)
  const s = f32(std)
  for (let i = 0; i < n; i++) d[i] = gen.uniform24()
  for (let i = 0; i + 16 <= n; i += 16) boxMuller16(d, i, m, s)
  if (n % 16 !== 0) {
    const off = n - 16
    for (let i = off; i < n; i++) d[i] = gen.uniform24()
    boxMuller16(d, off, m, s)
  }
}

/**
 * `at::normal_distribution<double>`, used element by element when numel < 16 (or the tensor is not
 * contiguous). Four draws make a pair; the second value waits in the generator's cache, which
 * later calls consume first. Note: u2 gives the radius, u1 the angle. In double, so libm
 * differences (V8 vs glibc) vanish in the final cast to float32.
 */
function normalDouble(gen: Generator, mean: number, std: number): number {
  let v: number
  if (gen.nextDoubleNormal !== null) {
    v = gen.nextDoubleNormal
    gen.nextDoubleNormal = null
  } else {
    const u1 = gen.uniform53()
    const u2 = gen.uniform53()
    const r = Math.sqrt(-2 * Math.log(1 - u2))
    const theta = 2 * Math.PI * u1
    gen.nextDoubleNormal = r * Math.sin(theta)
    v = r * Math.cos(theta)
  }
  return v * std + mean
}

/**
 * `out.normal_(mean, std)` for a contiguous float32 tensor stored in `out` (memory order).
 * Throws like torch when std < 0.
 */
export function normalFill(gen: Generator, out: Float32Array, mean = 0, std = 1): Float32Array {
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`)
  if (out.length >= 16) normalFillVectorised(gen, out, mean, std)
  else for (let i = 0; i < out.length; i++) out[i] = normalDouble(gen, mean, std)
  return out
}

/** `torch.randn`: `normal_(0, 1)`. */
export function randnFill(gen: Generator, out: Float32Array): Float32Array {
  return normalFill(gen, out, 0, 1)
}
