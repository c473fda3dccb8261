import type { Storage } from '../../../src-main/engine/tensor/dtype'

/** A small deterministic generator in [-0.5, 0.5) (the kernels' inputs need not match PyTorch's draws). */
export function makeRandom(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32 - 0.5
  }
}

/** `length` draws of `next` in a float32 or float64 storage. */
export function filled(length: number, float64: boolean, next: () => number): Storage {
  const a = float64 ? new Float64Array(length) : new Float32Array(length)
  for (let i = 0; i < length; i++) a[i] = next()
  return a
}
