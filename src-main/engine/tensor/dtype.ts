import type { DType } from '../../shared/config'

export type { DType }
export type Storage = Float32Array | Float64Array

/** Rounds a double to the tensor's precision: float32 rounds every result, float64 keeps it. */
export type Rounder = (x: number) => number

const keep: Rounder = (x) => x

export function rounderFor(dtype: DType): Rounder {
  return dtype === 'float32' ? Math.fround : keep
}

/**
 * Storages handed back by `recycle`, by dtype and length, for `allocate` to hand out again. A fresh
 * typed array costs far more than a spare one: its memory comes from the system page by page (each
 * first touch a page fault, ≈ 12 µs on our VMs), and it is freed only when the garbage collector
 * finds it dead; a loop that allocates 256 KB arrays and drops them at once faults on every page.
 * PyTorch's caching allocator hands freed blocks back in the same way. The lesson recycles its
 * gradients (zero_grad(set_to_none=True)), the gradients its backward pass has consumed, and each
 * step's activations once the step is done (`releaseGraph`).
 */
const spares: Record<DType, Map<number, Storage[]>> = { float32: new Map(), float64: new Map() }
/** Storages shorter than this are cheap to allocate and are never kept. */
const MIN_RECYCLED_LENGTH = 256
/** Spares kept per dtype and length: a lesson step frees four activation-sized arrays. */
const MAX_SPARES = 8
/**
 * The storages `allocate` handed out whole. Only these are taken back: a view on part of another
 * storage (a subarray) would hand its neighbours' memory out again.
 */
const handedOut = new WeakSet<Storage>()

/**
 * Small storages are views carved from shared slabs instead of an ArrayBuffer each. A training step
 * allocates dozens of small arrays (activations, their gradients, the loss's terms), and every
 * ArrayBuffer costs the garbage collector a sweep of its own after each scavenge: in Chromium's
 * worker that sweeping took ≈ 170 ms of CPU a second on the core the page needs. A slab is freed
 * with its last view; its space is never handed out twice, so every storage starts zero-filled.
 */
const SLAB_BYTES = 1 << 18
/** Storages up to this size come from a slab. */
const MAX_SLAB_STORAGE_BYTES = 1 << 15
let slab = new ArrayBuffer(SLAB_BYTES)
let slabUsed = 0

function fromSlab(dtype: DType, length: number, bytes: number): Storage {
  // 16-byte steps keep every view aligned for its element type (and for SIMD copies).
  const size = (bytes + 15) & ~15
  if (slabUsed + size > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES)
    slabUsed = 0
  }
  const offset = slabUsed
  slabUsed += size
  return dtype === 'float32' ? new Float32Array(slab, offset, length) : new Float64Array(slab, offset, length)
}

/**
 * A zero-filled storage of `length` elements (a recycled one when there is a spare). `zeroed` false:
 * a recycled one keeps its old values, for outputs that a kernel overwrites whole (products): zeroing
 * the lesson's 400 KB dW1 on every step cost ≈ 4 % of the step.
 */
export function allocate(dtype: DType, length: number, zeroed = true): Storage {
  if (length >= MIN_RECYCLED_LENGTH) {
    const spare = spares[dtype].get(length)?.pop()
    if (spare) return zeroed ? spare.fill(0) : spare
  }
  const bytes = length * (dtype === 'float32' ? 4 : 8)
  const storage =
    bytes > 0 && bytes <= MAX_SLAB_STORAGE_BYTES ? fromSlab(dtype, length, bytes) : dtype === 'float32' ? new Float32Array(length) : new Float64Array(length)
  if (length >= MIN_RECYCLED_LENGTH) handedOut.add(storage)
  return storage
}

/**
 * Where a kernel backend keeps big lasting storages in its own memory (WebAssembly linear memory),
 * so that its kernels read and write them in place instead of copying them in and out on every call.
 */
export interface ResidentStorages {
  /** A storage in the backend's memory (zero-filled if `zeroed`), or null (too small, or the memory is full). */
  allocate(dtype: DType, length: number, zeroed?: boolean): Storage | null
  /** Takes back a storage it handed out (true), which nothing may use any more. */
  release(storage: Storage): boolean
}

let resident: ResidentStorages | null = null

/** Sets (or, with null, removes) where `allocateLasting` puts big storages; returns the previous one. */
export function keepResident(storages: ResidentStorages | null): ResidentStorages | null {
  const previous = resident
  resident = storages
  return previous
}

/**
 * A zero-filled storage that outlives a training step: parameters, their gradients, optimizer
 * state, the data. Kept in the kernels' own memory when the backend offers that (`keepResident`),
 * else as `allocate`. Short-lived storages use `allocate`: the backend's memory is freed only when
 * a storage is recycled or garbage-collected, and a step's temporaries would pile up between.
 */
export function allocateLasting(dtype: DType, length: number, zeroed = true): Storage {
  return resident?.allocate(dtype, length, zeroed) ?? allocate(dtype, length, zeroed)
}

/** A fresh copy of `storage` (from `allocate`, so a small one shares a slab instead of a new ArrayBuffer). */
export function copyOf(storage: Storage): Storage {
  const out = allocate(dtypeOf(storage), storage.length)
  out.set(storage)
  return out
}

/**
 * Hands a storage back for `allocate` to reuse. Only for storages nothing references any more (the
 * caller's promise): gradients dropped by zero_grad(set_to_none=True), gradients the backward pass
 * has consumed, a finished step's activations.
 */
export function recycle(storage: Storage): void {
  if (resident?.release(storage)) return
  if (!handedOut.has(storage)) return
  const bySize = spares[dtypeOf(storage)]
  let list = bySize.get(storage.length)
  if (!list) bySize.set(storage.length, (list = []))
  if (list.length < MAX_SPARES && !list.includes(storage)) list.push(storage)
}

export function dtypeOf(storage: Storage): DType {
  return storage instanceof Float32Array ? 'float32' : 'float64'
}

export function numelOf(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}
