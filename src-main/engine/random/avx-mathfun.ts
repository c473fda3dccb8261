/**
 * One lane of `log256_ps` and `sincos256_ps` from ATen/native/cpu/avx_mathfun.h (Cephes-derived),
 * which the AVX2 `normal_fill` uses instead of libm. Every step is float32; GCC contracts each
 * "multiply then add" into an FMA (for an add of two products, the first product is fused), and
 * that contraction is reproduced with fma32 because it changes ~1% of randn values (torch-spec §2.5).
 */

import * as float32 from '../numeric/float32'

// Bound once at load: dev loaders (vitest, tsx) turn each call of an imported function into a
// namespace getter call, which keeps these hot loops from being inlined.
const { f32, f32Bits, bitsToF32, fma32 } = float32

const MIN_NORM_POS = 2 ** -126
const SQRTHF = f32(0.707106781186547524)
const LOG_P0 = f32(7.0376836292e-2)
const LOG_P1 = f32(-1.151461031e-1)
const LOG_P2 = f32(1.167699874e-1)
const LOG_P3 = f32(-1.2420140846e-1)
const LOG_P4 = f32(1.4249322787e-1)
const LOG_P5 = f32(-1.6668057665e-1)
const LOG_P6 = f32(2.0000714765e-1)
const LOG_P7 = f32(-2.4999993993e-1)
const LOG_P8 = f32(3.3333331174e-1)
const LOG_Q1 = f32(-2.12194440e-4)
const LOG_Q2 = f32(0.693359375)

/** `log256_ps` on one float32 lane. */
export function logPs(xIn: number): number {
  if (!(xIn > 0)) return NaN // the kernel ORs in an all-ones mask for x <= 0 (and NaN)
  const x0 = xIn < MIN_NORM_POS ? MIN_NORM_POS : xIn // denormals are flushed to the smallest normal
  const bits = f32Bits(x0)
  let e = (bits >>> 23) - 0x7f + 1
  let x = bitsToF32((bits & ~0x7f800000) | 0x3f000000) // mantissa scaled into [0.5, 1)
  // Below sqrt(1/2) use 2x - 1 (exponent minus one) so the polynomial argument stays small.
  let tmp = 0
  if (x < SQRTHF) {
    e -= 1
    tmp = x
  }
  x = f32(x - 1)
  x = f32(x + tmp)
  const z = f32(x * x)
  let y = fma32(LOG_P0, x, LOG_P1)
  y = fma32(y, x, LOG_P2)
  y = fma32(y, x, LOG_P3)
  y = fma32(y, x, LOG_P4)
  y = fma32(y, x, LOG_P5)
  y = fma32(y, x, LOG_P6)
  y = fma32(y, x, LOG_P7)
  y = fma32(y, x, LOG_P8)
  y = f32(y * x)
  y = fma32(y, z, f32(e * LOG_Q1))
  y = fma32(-z, 0.5, y)
  return fma32(e, LOG_Q2, f32(x + y))
}

const FOPI = f32(1.27323954473516) // 4/pi
const DP1 = f32(-0.78515625)
const DP2 = f32(-2.4187564849853515625e-4)
const DP3 = f32(-3.77489497744594108e-8)
const SIN_P0 = f32(-1.9515295891e-4)
const SIN_P1 = f32(8.3321608736e-3)
const SIN_P2 = f32(-1.6666654611e-1)
const COS_P0 = f32(2.443315711809948e-5)
const COS_P1 = f32(-1.388731625493765e-3)
const COS_P2 = f32(4.166664568298827e-2)

/** Output slot for sincosPs, reused so the hot loop allocates nothing. */
export interface SinCos {
  sin: number
  cos: number
}

/** `sincos256_ps` on one float32 lane; writes into `out` and returns it. */
export function sincosPs(xIn: number, out: SinCos): SinCos {
  let negSin = xIn < 0 || Object.is(xIn, -0)
  let x = Math.abs(xIn)
  // Octant j (rounded up to even) and the reduced argument x - j*pi/4 in three FMA steps
  // (extended-precision pi/4 as DP1 + DP2 + DP3).
  let j = Math.trunc(f32(x * FOPI)) // cvttps truncates; |theta| <= 2*pi here, no int overflow
  j = (j + 1) & ~1
  const y = j
  if (j & 4) negSin = !negSin
  const negCos = ((~(j - 2)) & 4) !== 0
  const polyIsSin = (j & 2) === 0
  x = fma32(y, DP1, x)
  x = fma32(y, DP2, x)
  x = fma32(y, DP3, x)
  const z = f32(x * x)

  let yc = fma32(COS_P0, z, COS_P1)
  yc = fma32(yc, z, COS_P2)
  yc = f32(yc * z)
  yc = fma32(yc, z, -f32(z * 0.5))
  yc = f32(yc + 1)

  let ys = fma32(SIN_P0, z, SIN_P1)
  ys = fma32(ys, z, SIN_P2)
  ys = f32(ys * z)
  ys = fma32(ys, x, x)

  // The kernel selects with masks and adds +0 to each pick, so a -0 pick becomes +0 before the
  // sign flip; `+ 0` does the same here.
  const s = (polyIsSin ? ys : yc) + 0
  const c = (polyIsSin ? yc : ys) + 0
  out.sin = negSin ? -s : s
  out.cos = negCos ? -c : c
  return out
}
