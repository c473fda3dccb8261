import type { DType } from '../../shared/config'

export type { DType }
export type Storage = Float32Array | Float64Array

/** Rounds a double to the tensor's precision: float32 rounds every result, float64 keeps it. */
export type Rounder = (x: number) => number

const keep: Rounder = (x) => x

export function rounderFor(dtype: DType): Rounder {
  return dtype === 'float32' ? Math.fround : keep
}

export function allocate(dtype: DType, length: number): Storage {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length)
}

export function dtypeOf(storage: Storage): DType {
  return storage instanceof Float32Array ? 'float32' : 'float64'
}

export function numelOf(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}
