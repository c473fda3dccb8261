import { describe, it, expect } from 'vitest'
import { f32, fma32, f32Bits, bitsToF32 } from '../../../src-main/engine/numeric/float32'

// ---- an independent exact reference: a*b + c as a BigInt-scaled integer, rounded to float32 ----

function decompose(x: number): { m: bigint; e: number } {
  // x = m * 2^e exactly, m a signed integer
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const sign = hi >>> 31 ? -1n : 1n
  const bexp = (hi >>> 20) & 0x7ff
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let e: number
  if (bexp === 0) e = -1074
  else {
    m |= 1n << 52n
    e = bexp - 1075
  }
  return { m: sign * m, e }
}

function bitLength(n: bigint): number {
  return n.toString(2).length
}

/** round32(a*b + c) computed exactly (finite, non-overflowing inputs). */
function fmaReference(a: number, b: number, c: number): number {
  const A = decompose(a)
  const B = decompose(b)
  const C = decompose(c)
  const ep = A.e + B.e
  const E = Math.min(ep, C.e)
  const S = A.m * B.m * (1n << BigInt(ep - E)) + C.m * (1n << BigInt(C.e - E))
  if (S === 0n) return a * b + c // exact zero: the double sum has the IEEE sign of zero
  const neg = S < 0n
  const mag = neg ? -S : S
  const q = Math.max(E + bitLength(mag) - 24, -149) // exponent of the float32 quantum
  let quot = mag
  if (q > E) {
    const k = BigInt(q - E)
    quot = mag >> k
    const rem = mag - (quot << k)
    const half = 1n << (k - 1n)
    if (rem > half || (rem === half && (quot & 1n) === 1n)) quot += 1n
  }
  const v = Number(quot) * 2 ** Math.max(q, E)
  return neg ? -v : v
}

// ---- deterministic test-input generator (xorshift32) ----
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s
  }
}

function randomF32(next: () => number, minExp: number, maxExp: number): number {
  const mant = 1 + (next() & 0x7fffff) * 2 ** -23
  const e = minExp + (next() % (maxExp - minExp + 1))
  const sign = next() & 1 ? -1 : 1
  return f32(sign * mant * 2 ** e)
}

/** Cases where a*b + c lies within a hair of a float32 midpoint (the hard cases). */
function nearMidpointCase(next: () => number): [number, number, number] {
  // Find integers x*y = 2^47 +/- r with r small, so a*b = 2^s * (1 +/- r*2^-47).
  for (;;) {
    const y = 0x800000 + (next() & 0x7fffff)
    const up = next() & 1
    const x = up ? Math.ceil(2 ** 47 / y) : Math.floor(2 ** 47 / y)
    if (x >= 2 ** 24) continue
    const r = Math.abs(x * y - 2 ** 47)
    if (r === 0 || r >= 2 ** 18) continue
    const s = (next() % 40) - 20
    const a = x * 2 ** -24
    const b = y * 2 ** (s - 23) // a*b = 2^s (1 +/- r 2^-47)
    // c in the binade whose half-ulp is 2^s, so c + 2^s is a float32 midpoint
    const c = (0x800000 + (next() & 0x7fffff)) * 2 ** (s + 1)
    const sign = next() & 1 ? -1 : 1
    return [sign * a, b, sign * c]
  }
}

describe('f32 and bit helpers', () => {
  it('f32 is Math.fround; bits round-trip', () => {
    expect(f32(0.1)).toBe(Math.fround(0.1))
    expect(f32Bits(1)).toBe(0x3f800000)
    expect(f32Bits(-2)).toBe(0xc0000000)
    expect(bitsToF32(0x3f800001)).toBe(1 + 2 ** -23)
    expect(Object.is(bitsToF32(0x80000000), -0)).toBe(true)
  })
})

describe('fma32', () => {
  it('handles hand-made midpoint cases that a plain f32(a*b + c) gets wrong', () => {
    // a*b = 2^-24 - 2^-70 and c = 1 + 2^-23: the double sum is the midpoint 1 + 3*2^-24,
    // ties-to-even would give 1 + 2^-22, the true value is just below the midpoint.
    const a1 = 2 ** -24 * (1 + 2 ** -23)
    const b1 = 1 - 2 ** -23
    const c1 = 1 + 2 ** -23
    expect(f32(a1 * b1 + c1)).toBe(1 + 2 ** -22)
    expect(fma32(a1, b1, c1)).toBe(1 + 2 ** -23)
    // a*b = 1 + 2^-24 exactly (16777217 = 24929 * 673): a true tie goes to even...
    const a2 = 24929 * 2 ** -15
    const b2 = 673 * 2 ** -9
    expect(a2 * b2).toBe(1 + 2 ** -24)
    expect(fma32(a2, b2, 0)).toBe(1)
    // ...but a tiny c decides it, although the double sum is that same midpoint.
    expect(a2 * b2 + 2 ** -60).toBe(1 + 2 ** -24)
    expect(fma32(a2, b2, 2 ** -60)).toBe(1 + 2 ** -23)
    expect(fma32(a2, b2, -(2 ** -60))).toBe(1)
    expect(fma32(-a2, b2, 2 ** -60)).toBe(-1)
    expect(fma32(-a2, b2, -(2 ** -60))).toBe(-1 - 2 ** -23)
    // At a power of two the ulp below is half as big: 2 - 2^-24 is the midpoint of 2 - 2^-23 and 2.
    expect(fma32(a2, -b2 * 2 ** -24, 2)).toBe(2 - 2 ** -23) // 2 - 2^-24 - 2^-48 rounds down
  })

  it('keeps IEEE signed zeros', () => {
    expect(Object.is(fma32(-0, 1, 0), 0)).toBe(true)
    expect(Object.is(fma32(-0, 1, -0), -0)).toBe(true)
    expect(Object.is(fma32(2, 3, -6), 0)).toBe(true)
  })

  it('equals an exact BigInt reference on 60 000 random and near-midpoint triples', () => {
    const next = rng(12345)
    let naiveWrong = 0
    let doubleRoundedWrong = 0
    const bad: string[] = []
    for (let i = 0; i < 60000; i++) {
      let a: number, b: number, c: number
      const kind = i % 3
      if (kind === 0) {
        a = randomF32(next, -30, 30)
        b = randomF32(next, -30, 30)
        c = randomF32(next, -60, 60)
      } else if (kind === 1) {
        ;[a, b, c] = nearMidpointCase(next)
      } else {
        // cancellation: c close to -a*b
        a = randomF32(next, -10, 10)
        b = randomF32(next, -10, 10)
        c = f32(-(a * b) * (1 + ((next() % 9) - 4) * 2 ** -23))
      }
      const want = fmaReference(a, b, c)
      const got = fma32(a, b, c)
      if (!Object.is(got, want) && bad.length < 5) bad.push(`fma32(${a}, ${b}, ${c}) = ${got}, want ${want}`)
      if (f32(a * b + c) !== want) naiveWrong++
      if (f32(f32(a * b) + c) !== want) doubleRoundedWrong++
    }
    expect(bad).toEqual([])
    // the generated set really exercises the midpoint correction
    expect(naiveWrong).toBeGreaterThan(1000)
    expect(doubleRoundedWrong).toBeGreaterThan(naiveWrong)
  })

  it('is exact for float32 subnormal results', () => {
    const next = rng(777)
    for (let i = 0; i < 2000; i++) {
      const a = randomF32(next, -80, -60)
      const b = randomF32(next, -80, -60)
      const c = randomF32(next, -150, -126)
      expect(fma32(a, b, c)).toBe(fmaReference(a, b, c))
    }
  })
})
