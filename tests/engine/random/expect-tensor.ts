/** Bit-exact comparison of engine output with a fixture tensor (full list or Summary). */

import { expect } from 'vitest'
import { float32Sha256 } from '../../../src-main/engine/numeric/sha256'
import { flatten, isSummary, type NestedNumbers, type Summary } from '../../helpers/fixtures'

/** Indices (up to 5) where got and want differ bitwise as float32, with the values. */
function mismatches(got: ArrayLike<number>, want: number[], index: (i: number) => number = (i) => i): string[] {
  const out: string[] = []
  for (let i = 0; i < want.length && out.length < 5; i++) {
    const g = got[index(i)]
    const w = Math.fround(want[i])
    if (!Object.is(g, w)) out.push(`[${index(i)}] got ${g}, want ${w}`)
  }
  return out
}

/** Every element equal as float32 (signed zeros distinguished). */
export function expectFullEqual(got: Float32Array, want: NestedNumbers | number[], label = ''): void {
  const w = flatten(want as NestedNumbers)
  expect(got.length, `${label} length`).toBe(w.length)
  expect(mismatches(got, w), label).toEqual([])
}

/** Spot values first (readable failures), then the sha256 of the float32 bytes. */
export function expectSummaryEqual(got: Float32Array, want: Summary, label = ''): void {
  const numel = want.shape.reduce((a, b) => a * b, 1)
  expect(got.length, `${label} numel`).toBe(numel)
  expect(mismatches(got, want.first8), `${label} first8`).toEqual([])
  expect(mismatches(got, want.last8, (i) => got.length - want.last8.length + i), `${label} last8`).toEqual([])
  const idx = want.samples.map((s) => s[0])
  expect(mismatches(got, want.samples.map((s) => s[1]), (i) => idx[i]), `${label} samples`).toEqual([])
  expect(float32Sha256(got), `${label} sha256`).toBe(want.sha256)
}

/** Either form, decided by the fixture value. */
export function expectTensorEqual(got: Float32Array, want: NestedNumbers | Summary, label = ''): void {
  if (isSummary(want)) expectSummaryEqual(got, want, label)
  else expectFullEqual(got, want, label)
}
