import { Parameter, Tensor } from '../../../src-main/engine/tensor/tensor'
import { flatten, shapeOf, type NestedNumbers } from '../../helpers/fixtures'

export const PARAM_NAMES = ['0.weight', '0.bias', '2.weight', '2.bias'] as const

/** A float32 (or float64) parameter holding a fixture tensor exactly. */
export function parameterFrom(values: NestedNumbers, dtype: 'float32' | 'float64' = 'float32'): Parameter {
  const t = Tensor.fromArray(flatten(values), shapeOf(values), dtype)
  return new Parameter(t.data, t.shape)
}

export function tensorFrom(values: NestedNumbers, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  return Tensor.fromArray(flatten(values), shapeOf(values), dtype)
}

const f32 = new Float32Array(1)
const i32 = new Int32Array(f32.buffer)

/** Signed distance in float32 ulps (0 for identical values, including +0/-0 being counted as 1 apart). */
export function ulpDistance32(a: number, b: number): number {
  const order = (x: number): number => {
    f32[0] = x
    const bits = i32[0]
    return bits < 0 ? -(bits & 0x7fffffff) - 1 : bits
  }
  return Math.abs(order(a) - order(b))
}

/** Element-wise comparison: how many differ, and the largest ulp distance. */
export function compareFloat32(actual: ArrayLike<number>, expected: ArrayLike<number>): { mismatches: number; maxUlp: number } {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`)
  let mismatches = 0
  let maxUlp = 0
  for (let i = 0; i < actual.length; i++) {
    if (Object.is(actual[i], Math.fround(expected[i]))) continue
    mismatches++
    maxUlp = Math.max(maxUlp, ulpDistance32(actual[i], expected[i]))
  }
  return { mismatches, maxUlp }
}

/** A deterministic pseudo-random float32 array (no engine RNG involved). */
export function pseudoRandom(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n)
  let s = seed >>> 0 || 1
  for (let i = 0; i < n; i++) {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale
  }
  return out
}
