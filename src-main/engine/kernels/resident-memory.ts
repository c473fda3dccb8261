import type { DType, ResidentStorages, Storage } from '../tensor/dtype'

/**
 * Storages shorter than this are copied in and out of linear memory instead: the smallest (biases,
 * scalars) cost more as blocks (a view, a weak-map entry and a finalizer each) than as copies. The
 * lesson's second layer (W2, its gradient and Adam state, 1 000 elements each) and the static step's
 * activations (train/static-step.ts) are resident: their copies took ≈ 3 % of a step.
 */
export const MIN_RESIDENT_LENGTH = 1 << 8
/** Alignment of every block and scratch region in linear memory (a cache line; SIMD needs 16). */
const ALIGN = 64
/** WebAssembly's page size. */
export const PAGE = 65536

export const alignUp = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN

/**
 * The WebAssembly kernels' linear memory as a heap for big lasting storages (weights, their
 * gradients, optimizer state, the data): `allocateLasting` hands out views on it, and the kernels
 * read and write those in place instead of copying them in and out on every call (≈ 4 MB a lesson
 * step, most of it Adam's arrays). A job split over threads then needs no copy either.
 *
 * Only a shared memory will do: it never moves when it grows, so the views handed out stay valid,
 * whereas a plain memory's buffer is detached by every growth. Blocks come back when a storage is
 * recycled (a dropped gradient) or garbage-collected (FinalizationRegistry), and are handed out
 * again to storages of the same size, which is how a training loop allocates.
 */
export class ResidentMemory implements ResidentStorages {
  /** Free blocks by size in bytes. */
  private readonly free = new Map<number, number[]>()
  /** The block of each storage handed out: [pointer, bytes]. */
  private readonly blocks = new WeakMap<Storage, [number, number]>()
  private readonly collected = new FinalizationRegistry<[number, number]>(([at, bytes]) => this.giveBack(at, bytes))
  /** First byte never handed out. */
  private top: number
  private scratchAt = 0
  private scratchBytes = 0
  /** Bytes of storages handed out and not yet back (for tests and the bench). */
  liveBytes = 0

  constructor(
    readonly memory: WebAssembly.Memory,
    /** Bytes at the start of memory that are not this heap's (at least one: the kernels read pointer 0 as "none"). */
    reservedBytes = ALIGN
  ) {
    this.top = alignUp(reservedBytes)
  }

  allocate(dtype: DType, length: number, zeroed = true): Storage | null {
    if (length < MIN_RESIDENT_LENGTH) return null
    const size = dtype === 'float32' ? 4 : 8
    const bytes = alignUp(length * size)
    const reused = this.free.get(bytes)?.pop()
    const at = reused ?? this.carve(bytes)
    if (at < 0) return null
    const buffer = this.memory.buffer
    const storage = dtype === 'float32' ? new Float32Array(buffer, at, length) : new Float64Array(buffer, at, length)
    // A fresh block is zero (grown memory is); a reused one held a storage.
    if (reused !== undefined && zeroed) storage.fill(0)
    this.blocks.set(storage, [at, bytes])
    this.collected.register(storage, [at, bytes], storage)
    this.liveBytes += bytes
    return storage
  }

  release(storage: Storage): boolean {
    const block = this.blocks.get(storage)
    if (!block) return false
    this.blocks.delete(storage)
    this.collected.unregister(storage)
    this.giveBack(block[0], block[1])
    return true
  }

  /**
   * Where `storage` lives in this memory (byte offset), or −1 if this heap did not hand it out. By
   * the storage object, not its buffer: V8 gives a shared memory's buffer a new object now and then,
   * and other views of the same bytes (subarrays) would outlive their block.
   */
  pointer(storage: Storage): number {
    return this.blocks.get(storage)?.[0] ?? -1
  }

  /**
   * A region of at least `bytes` for a kernel call's copies and working space, valid until the next
   * call (−1 if the memory cannot grow that far). One region, moved to a bigger block when needed.
   */
  scratch(bytes: number): number {
    if (bytes <= this.scratchBytes) return this.scratchAt
    const size = alignUp(Math.max(bytes, 2 * this.scratchBytes))
    const at = this.carve(size)
    if (at < 0) return -1
    if (this.scratchBytes > 0) this.pushFree(this.scratchAt, this.scratchBytes)
    this.scratchAt = at
    this.scratchBytes = size
    return at
  }

  private giveBack(at: number, bytes: number): void {
    this.liveBytes -= bytes
    this.pushFree(at, bytes)
  }

  private pushFree(at: number, bytes: number): void {
    const list = this.free.get(bytes)
    if (list) list.push(at)
    else this.free.set(bytes, [at])
  }

  /** A new block at the top, growing the memory as needed; −1 when it cannot grow. */
  private carve(bytes: number): number {
    const at = this.top
    const have = this.memory.buffer.byteLength
    if (at + bytes > have) {
      try {
        this.memory.grow(Math.ceil((at + bytes - have) / PAGE))
      } catch {
        return -1
      }
    }
    this.top = at + bytes
    return at
  }
}
