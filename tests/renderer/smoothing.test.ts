/** The chart's EMA smoothing (TensorBoard's debiased form), checked against the formula by hand. */
import { describe, expect, it } from 'vitest'
import { Ema, smooth } from '../../src-renderer/src/lib/smoothing'

describe('smooth', () => {
  it('is the identity at weight 0', () => {
    expect([...smooth([3, 1, 4, 1, 5], 0)]).toEqual([3, 1, 4, 1, 5])
  })

  it('starts at the first value and follows m_t / (1 − w^(t+1))', () => {
    const w = 0.6
    const ys = [10, 20, 5]
    const m0 = (1 - w) * 10
    const m1 = w * m0 + (1 - w) * 20
    const m2 = w * m1 + (1 - w) * 5
    const out = smooth(ys, w)
    expect(out[0]).toBeCloseTo(10, 12)
    expect(out[1]).toBeCloseTo(m1 / (1 - w ** 2), 12)
    expect(out[2]).toBeCloseTo(m2 / (1 - w ** 3), 12)
  })

  it('keeps a constant series constant and damps noise', () => {
    expect([...smooth([7, 7, 7, 7], 0.9)].every((v) => Math.abs(v - 7) < 1e-12)).toBe(true)
    const noisy = Array.from({ length: 400 }, (_, k) => 100 + (k % 2 ? 10 : -10))
    const tail = [...smooth(noisy, 0.95)].slice(200)
    expect(Math.max(...tail) - Math.min(...tail)).toBeLessThan(2)
  })

  it('draws a non-finite loss as it is without poisoning the rest', () => {
    const out = smooth([1, Infinity, 1, NaN, 1], 0.5)
    expect(out[1]).toBe(Infinity)
    expect(Number.isNaN(out[3])).toBe(true)
    expect(out[4]).toBeCloseTo(1, 12)
  })

  it('refuses weights outside [0, 1)', () => {
    expect(() => new Ema(1)).toThrow(RangeError)
    expect(() => new Ema(-0.1)).toThrow(RangeError)
  })
})
