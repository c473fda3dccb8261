/**
 * IEEE binary32 arithmetic emulated with JS doubles (torch-spec §1).
 *
 * `+ - * / sqrt` on float32 operands are exact when done in double and rounded once with `f32`
 * (53 >= 2*24+2), so only the fused multiply-add needs care.
 */

/** Round a double to the nearest float32 (ties to even). */
export const f32: (x: number) => number = Math.fround

// One scratch word, so float32 <-> bits needs no allocation.
const scratchF32 = new Float32Array(1)
const scratchU32 = new Uint32Array(scratchF32.buffer)

/** The IEEE bit pattern of `f32(x)` as an unsigned 32-bit integer. */
export function f32Bits(x: number): number {
  scratchF32[0] = x
  return scratchU32[0]
}

/** The float32 whose bit pattern is the low 32 bits of `bits`. */
export function bitsToF32(bits: number): number {
  scratchU32[0] = bits
  return scratchF32[0]
}

/**
 * `round32(a*b + c)` with a single rounding, i.e. what an FMA instruction computes on float32.
 * `a`, `b` and `c` must already be float32 values.
 *
 * `a*b` is exact in double (48 significant bits), so only the double rounding of `s = p + c` can
 * go wrong, and only when `s` lands exactly on a float32 midpoint: then the exact sum lies off the
 * midpoint, on the side of the TwoSum error, and ties-to-even must not decide. Everywhere else
 * `f32(s)` is already the correctly rounded result, so the common path skips TwoSum.
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b
  const s = p + c
  const r = Math.fround(s)
  if (r === s) return r // the dropped error is below half a double ulp of s: cannot move r
  // If s is the midpoint of r and its neighbour o, then o = 2s - r is a float32 and computing it is
  // exact. A non-midpoint s can make 2s - r round onto a float32, hence the second check.
  const o = 2 * s - r
  if (Math.fround(o) !== o || (r + o) * 0.5 !== s) return r
  const bb = s - p
  const err = p - (s - bb) + (c - bb)
  if (err === 0) return r // a true tie: ties-to-even is right
  return err > 0 ? Math.max(r, o) : Math.min(r, o)
}
