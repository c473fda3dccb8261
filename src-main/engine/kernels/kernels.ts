import { keepResident, type ResidentStorages, type Storage } from '../tensor/dtype'
import { typescriptKernels } from './typescript-kernels'

/**
 * The heavy loops, behind one small interface so that a faster backend (WebAssembly SIMD, threads)
 * can replace the TypeScript reference without touching autograd. Every matrix is row-major and
 * `out` has the storage type of the operands; results are rounded once, when stored.
 */
export interface Kernels {
  readonly name: string
  /** Where this backend keeps big lasting storages so that its kernels use them in place (optional). */
  readonly residentStorages?: ResidentStorages
  /**
   * out[m×n] = op(a)·op(b) (+ bias[n] broadcast over rows), where op(a) is m×k and op(b) is k×n.
   * Every element of `out` is written; its previous values are never read.
   * `transA` means `a` is stored k×m; `transB` means `b` is stored n×k.
   */
  matmul(
    a: Storage,
    b: Storage,
    out: Storage,
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
    bias?: Storage
  ): void
  /** Σ over all elements, accumulated accurately (rounded to the storage type by the caller). */
  sum(a: Storage): number
  /** out[j] = Σ_i a[i×cols + j]: the column sums of a rows×cols matrix (bias gradients). */
  sumRows(a: Storage, out: Storage, rows: number, cols: number): void
  /**
   * Optional: out = relu(x) as PyTorch's clamp_min(x, 0) (NaN and −0 pass). True when done; false
   * (or absent) leaves it to the caller's loop.
   */
  relu?(x: Storage, out: Storage): boolean
  /** Optional: grad = out ≤ 0 ? 0 : g, as threshold_backward (NaN passes g). True when done. */
  reluBackward?(out: Storage, g: Storage, grad: Storage): boolean
  /**
   * Optional fused optimizer update: optim/adam.ts's `adamUpdate` (Adam, AdamW) in place, bit for
   * bit. Returns true when done; a backend without it, or returning false (e.g. for short tensors),
   * leaves the update to the TypeScript loop.
   */
  adamUpdate?(
    param: Storage,
    grad: Storage,
    expAvg: Storage,
    expAvgSq: Storage,
    maxExpAvgSq: Storage | null,
    scalars: AdamUpdateScalars
  ): boolean
}

/** The scalars of one Adam/AdamW update, as optim/adam.ts passes them (Python floats, in double). */
export interface AdamUpdateScalars {
  lr: number
  beta1: number
  beta2: number
  eps: number
  weightDecay: number
  decoupledWeightDecay: boolean
  maximize: boolean
  /** lr / (1 − β1ᵗ). */
  stepSize: number
  /** √(1 − β2ᵗ). */
  biasCorrection2Sqrt: number
}

let active: Kernels = typescriptKernels

export function kernels(): Kernels {
  return active
}

/**
 * Swap the backend (e.g. after WebAssembly has loaded); returns the previous one. Lasting storages
 * allocated from now on go where the new backend keeps them; earlier ones stay valid wherever they are.
 */
export function useKernels(next: Kernels): Kernels {
  const previous = active
  active = next
  keepResident(next.residentStorages ?? null)
  return previous
}
