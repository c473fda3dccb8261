import { describe, it, expect } from 'vitest'
import { MT19937 } from '../../../src-main/engine/random/mt19937'
import {
  Generator,
  defaultGenerator,
  manualSeed,
  normalizeSeed,
  DEFAULT_SEED
} from '../../../src-main/engine/random/generator'
import { normalFill } from '../../../src-main/engine/random/normal'
import { uniformFill } from '../../../src-main/engine/random/uniform'
import { linearInit } from '../../../src-main/engine/random/init'

const draws = (g: Generator, n: number): number[] => Array.from({ length: n }, () => g.random())

describe('MT19937', () => {
  it('is the reference mt19937 (C++ standard: the 10000th output of seed 5489 is 4123659995)', () => {
    const mt = new MT19937(5489)
    expect(mt.nextU32()).toBe(3499211612)
    for (let i = 2; i < 10000; i++) mt.nextU32()
    expect(mt.nextU32()).toBe(4123659995)
  })

  it('clone continues the same stream independently', () => {
    const mt = new MT19937(42)
    for (let i = 0; i < 700; i++) mt.nextU32()
    const c = mt.clone()
    const a = Array.from({ length: 1000 }, () => mt.nextU32())
    const b = Array.from({ length: 1000 }, () => c.nextU32())
    expect(b).toEqual(a)
  })
})

describe('Generator seeding', () => {
  it('takes the seed modulo 2^64; only the low 32 bits reach the engine', () => {
    const ref = draws(new Generator(5), 1000)
    expect(draws(new Generator(2 ** 32 + 5), 1000)).toEqual(ref)
    expect(draws(new Generator(2n ** 32n + 5n), 1000)).toEqual(ref)
    expect(draws(new Generator(0xabcd00000005n), 1000)).toEqual(ref)
    expect(new Generator(2 ** 32 + 5).initialSeed()).toBe(4294967301n)
  })

  it('maps negative seeds like torch: -1 is 2^64 - 1', () => {
    expect(normalizeSeed(-1)).toBe(2n ** 64n - 1n)
    expect(normalizeSeed(-1n)).toBe(2n ** 64n - 1n)
    expect(normalizeSeed(-(2n ** 63n))).toBe(2n ** 63n)
    const g = new Generator(-1)
    expect(g.initialSeed()).toBe(18446744073709551615n)
    expect(draws(g, 700)).toEqual(draws(new Generator(0xffffffff), 700))
  })

  it('refuses what torch refuses, and truncates non-integers like int(seed)', () => {
    expect(() => normalizeSeed(2n ** 64n)).toThrow(RangeError)
    expect(() => normalizeSeed(-(2n ** 63n) - 1n)).toThrow(RangeError)
    expect(() => normalizeSeed(NaN)).toThrow(RangeError)
    expect(() => normalizeSeed(Infinity)).toThrow(RangeError)
    expect(normalizeSeed(1.5)).toBe(1n)
    expect(normalizeSeed(-1.5)).toBe(2n ** 64n - 1n)
  })

  it('starts from the C++ default seed and reseeds the module-level default generator', () => {
    expect(new Generator().initialSeed()).toBe(DEFAULT_SEED)
    expect(manualSeed(7)).toBe(defaultGenerator)
    expect(defaultGenerator.initialSeed()).toBe(7n)
    const a = draws(defaultGenerator, 5)
    manualSeed(7)
    expect(draws(defaultGenerator, 5)).toEqual(a)
  })
})

describe('Generator draws', () => {
  it('random64 is (first << 32) | second', () => {
    const a = new Generator(11)
    const b = new Generator(11)
    const hi = b.random()
    const lo = b.random()
    expect(a.random64()).toBe((BigInt(hi) << 32n) | BigInt(lo))
  })

  it('uniform24 and uniform53 are the torch float/double uniforms', () => {
    const a = new Generator(3)
    const b = new Generator(3)
    for (let i = 0; i < 100; i++) expect(a.uniform24()).toBe((b.random() & 0xffffff) / 2 ** 24)
    for (let i = 0; i < 100; i++) {
      const r = b.random64() & ((1n << 53n) - 1n)
      expect(a.uniform53()).toBe(Number(r) / 2 ** 53)
    }
  })

  it('manualSeed clears the cached double normal; other draws leave it alone', () => {
    const g = new Generator(1)
    normalFill(g, new Float32Array(1))
    expect(g.nextDoubleNormal).not.toBeNull()
    normalFill(g, new Float32Array(40)) // the >= 16 path does not touch the cache
    g.random()
    expect(g.nextDoubleNormal).not.toBeNull()
    g.manualSeed(1)
    expect(g.nextDoubleNormal).toBeNull()
  })

  it('clone copies the stream position and the cache', () => {
    const g = new Generator(9)
    normalFill(g, new Float32Array(3))
    draws(g, 650)
    const c = g.clone()
    const x = normalFill(g, new Float32Array(5))
    const y = normalFill(c, new Float32Array(5))
    expect(Array.from(y)).toEqual(Array.from(x))
    expect(c.initialSeed()).toBe(9n)
  })
})

describe('argument checks mirror torch 2.13', () => {
  const g = new Generator(0)
  it('uniform_ refuses bounds torch refuses, even on an empty tensor', () => {
    expect(() => uniformFill(g, new Float32Array(0), 1, 0)).toThrow(/\[from, to\) range/)
    expect(() => uniformFill(g, new Float32Array(2), -3e38, 3e38)).toThrow(/to-from/)
    expect(() => uniformFill(g, new Float32Array(2), 0, 1e39)).toThrow(/to is out of bounds/)
    expect(() => uniformFill(g, new Float32Array(2), -1e39, 0)).toThrow(/from is out of bounds/)
    expect(() => uniformFill(g, new Float32Array(2), NaN, 1)).toThrow(/from is out of bounds/)
    expect(() => uniformFill(g, new Float32Array(2), -Infinity, 0)).toThrow(/from is out of bounds/)
  })
  it('normal_ refuses std < 0 and NaN std, accepts infinite std and NaN mean', () => {
    expect(() => normalFill(g, new Float32Array(0), 0, -1)).toThrow(/std >= 0.0/)
    expect(() => normalFill(g, new Float32Array(2), 0, NaN)).toThrow(/std >= 0.0/)
    expect(normalFill(g, new Float32Array(2), 0, Infinity).every((v) => Math.abs(v) === Infinity)).toBe(true)
    expect(normalFill(g, new Float32Array(20), NaN, 1).every(Number.isNaN)).toBe(true)
  })
  it('linearInit refuses negative or fractional sizes', () => {
    expect(() => linearInit(g, -1, 2)).toThrow(RangeError)
    expect(() => linearInit(g, 2, 1.5)).toThrow(RangeError)
  })
})
