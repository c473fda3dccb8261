import type { Storage } from '../tensor/dtype'
import type { AdamUpdateScalars, Kernels } from './kernels'
import { RELAXED_SIMD_SHARED_WASM, RELAXED_SIMD_WASM, SIMD128_SHARED_WASM, SIMD128_WASM } from './generated/wasm-modules'
import { chunkRanges, KernelHelper, type OwnArgument, type SpawnKernelThread } from './kernel-threads'
import { alignUp, PAGE, ResidentMemory } from './resident-memory'
import { SEQUENTIAL_FLOAT32_MAX_TERMS, typescriptKernels } from './typescript-kernels'

/**
 * The WebAssembly SIMD backend. The kernels (src-wasm/kernels.ts, AssemblyScript) are compiled at
 * build time into a generated module of base64 strings, so the engine needs neither the file
 * system nor fetch: the bytes are compiled synchronously with `new WebAssembly.Module`, which every
 * runtime of the engine allows (the utility process, the CLI and Vitest are Node; the web stand-in
 * is a Web Worker, where the 4 KB limit on synchronous compilation of Chromium's main thread does
 * not apply; the renderer's CSP carries 'wasm-unsafe-eval').
 *
 * The kernels run on a linear memory owned by this module (grown on demand, never shrunk). Where the
 * runtime has shared memory it is shared, holds the resident storages (resident-memory.ts), which
 * kernels use in place, and a helper thread may work on it too; other operands are copied into a
 * scratch region and the results out. float32 products sum in one of two orders. Where relaxed madd is a
 * fused multiply-add (relaxed build, x86-64 with FMA: Electron, Chromium, the `lab` command), each
 * output is one float32 running sum of fused multiply-adds, the way MKL's sgemm sums for torch 2.13
 * (≈ 1.5 × faster than the blocks). Elsewhere they add blocks of 8 terms in float32 and the blocks in
 * double, in the reference's order (typescript-kernels.ts, F32_BLOCK), bit for bit with
 * typescriptKernels (unfused running sums would lose Adadelta's parity, see src-wasm/kernels.ts).
 * Both orders pass the parity suite. float64 accumulates in f64x2 lanes; short float32 sums stay in
 * TypeScript (summed in float32).
 */

export type WasmVariant = 'simd128' | 'relaxed-simd'

interface KernelExports {
  mm_nt_f64(a: number, b: number, out: number, m: number, k: number, n: number, bias: number): void
  mm_bc_f32(a: number, sai: number, sap: number, b: number, out: number, m: number, k: number, n: number, bias: number, scratch: number): void
  mm_seq_f32(a: number, sai: number, sap: number, b: number, out: number, m: number, k: number, n: number, bias: number): void
  mm_seq_nt_f32(a: number, sai: number, sap: number, w: number, t: number, out: number, m: number, k: number, n: number, j0: number, j1: number, bias: number): void
  mm_sparse_f32(a: number, sai: number, sap: number, b: number, out: number, m: number, k: number, n: number, bias: number, scratch: number): void
  count_zeros_f32(x: number, len: number): number
  any_nonfinite_f32(x: number, len: number): number
  mm_bc_f64(a: number, sai: number, sap: number, b: number, out: number, m: number, k: number, n: number, bias: number): void
  transpose_f32(src: number, dst: number, rows: number, cols: number): void
  transpose_f64(src: number, dst: number, rows: number, cols: number): void
  sum_f32(a: number, len: number): number
  sum_f64(a: number, len: number): number
  sum_rows_f32(a: number, out: number, rows: number, cols: number): void
  sum_rows_f64(a: number, out: number, rows: number, cols: number): void
  adam_f32(
    p: number, g: number, m: number, v: number, vmax: number, len: number, scratch: number, flags: number,
    wd: number, decay: number, beta2: number, w: number, oneMinusBeta2: number, bc2Sqrt: number, eps: number, negStepSize: number
  ): void
  adam_f64(
    p: number, g: number, m: number, v: number, vmax: number, len: number, flags: number,
    wd: number, decay: number, beta2: number, w: number, oneMinusBeta2: number, bc2Sqrt: number, eps: number, negStepSize: number
  ): void
  fma_f32(a: number, b: number, c: number, out: number, len: number, fused: number): void
  relu_f32(x: number, out: number, n: number): void
  relu_backward_f32(out: number, g: number, grad: number, n: number): void
  relaxed_madd_is_fused(a: number, b: number, c: number): number
}

// adam_* flags (src-wasm/kernels.ts)
const MAXIMIZE = 1
const COUPLED = 2
const DECOUPLED = 4
const AMSGRAD = 8
const LERP_LOW = 16
const FUSED = 32

export interface WasmKernels extends Kernels {
  readonly name: 'wasm'
  /** Which build runs: plain SIMD128, or relaxed SIMD (fused multiply-add where the CPU has it). */
  readonly variant: WasmVariant
  /**
   * Relaxed SIMD's madd is a true fused multiply-add on this machine (tested once at load), so the
   * optimizer kernels compute float32 FMAs with it instead of emulating them in double, and float32
   * products are fused running sums (mm_seq_f32) instead of the reference's blocks.
   */
  readonly fusedMadd: boolean
  /** The heap of resident storages on the kernels' shared memory (absent without shared memory). */
  readonly residentStorages?: ResidentMemory
  /** Bytes of linear memory currently reserved for operands. */
  memoryBytes(): number
  /** How many optimizer updates ran here (0 while the optimizers do not call the hook). */
  readonly updates: number
  /** How many float32 products skipped the zero terms of their left operand (mm_sparse_f32). */
  readonly sparseProducts: number
  adamUpdate(
    param: Storage,
    grad: Storage,
    expAvg: Storage,
    expAvgSq: Storage,
    maxExpAvgSq: Storage | null,
    scalars: AdamUpdateScalars
  ): boolean
  relu(x: Storage, out: Storage): boolean
  reluBackward(out: Storage, g: Storage, grad: Storage): boolean
  /** Threads that compute big products and updates: 2 with a helper thread, else 1. */
  readonly threads: number
  /** Split jobs offered to the helper thread. */
  helperJobs(): number
  /** Chunks of split jobs the helper thread ran. */
  helperChunks(): number
  /** Blocks up to `ms` until the helper thread is ready (true) — so that a timed loop uses it from the start. */
  waitForHelper(ms: number): boolean
  /**
   * Whether each job shape is split only where splitting measured faster (default true; false splits
   * every big job, for tests of the helper's numbers on a busy machine).
   */
  adaptiveThreads: boolean
  /** The float32 fused multiply-add of the optimizer kernels, element-wise (for tests); `fused` uses relaxed madd. */
  fma32(a: Float32Array, b: Float32Array, c: Float32Array, fused?: boolean): Float32Array
}

/** Products smaller than this many multiply-adds stay in TypeScript (copying would dominate). */
const MIN_MATMUL_MACS = 2048
/**
 * Sums of at most this many terms stay in TypeScript, which adds such short float32 sums in order in
 * float32 the way BLAS does (bit-exact with PyTorch for tiny layers); see typescript-kernels.ts.
 */
const SHORT_SUM = SEQUENTIAL_FLOAT32_MAX_TERMS
/** Sums over fewer elements stay in TypeScript. */
const MIN_SUM_LENGTH = 4096
/** Element-wise operations on fewer elements stay in TypeScript. */
const MIN_ELEMENTWISE_LENGTH = 1024
/**
 * Optimizer updates of every length run here, a bias's too: copied in and out, its few elements
 * cost less than the TypeScript loop before V8 has optimized it (the lesson's biases, 100 and 10
 * elements, took 550 calls a step there; from 256 elements up only, a fresh process's first 50
 * steps took 49–51 ms, from 1 up 44–45).
 */
const MIN_UPDATE_LENGTH = 1
/** Products with fewer multiply-adds, and updates of fewer elements, are not split over threads. */
const MIN_PARALLEL_MACS = 1 << 19
const MIN_PARALLEL_UPDATE = 1 << 15
/**
 * How long an idle helper spins before it sleeps, in ms. Not long: while the engine is cold V8
 * compiles its JavaScript on a background thread, and a helper that spins through the step's other
 * work takes the core that compiler needs. Not too short either: the caller wakes a sleeping helper
 * with each job and starts on the chunks meanwhile, but a wake-up still costs ≈ 70 µs of the
 * helper's share. Six alternating cold runs of the lesson on two threads (medians): 528 ms with
 * 0.05 ms of spin, 504 with 0.2, 529 with 0.5, 591 with 1; the warm 256×784 → 256 net: 1 941, 1 836,
 * 1 863, 1 845 ms.
 */
const HELPER_SPIN_MS = 0.2
/** Maximum pages of the shared memory (as the shared builds declare: 2 GiB). */
const SHARED_MAX_PAGES = 32768
/** The exports a helper thread may run, by index (KernelHelper jobs). */
const HELPER_JOBS = ['mm_nt_f64', 'mm_bc_f32', 'mm_bc_f64', 'adam_f32', 'adam_f64', 'mm_seq_f32', 'mm_seq_nt_f32', 'mm_sparse_f32']
const [JOB_MM_NT_F64, JOB_MM_BC_F32, JOB_MM_BC_F64, JOB_ADAM_F32, JOB_ADAM_F64, JOB_MM_SEQ_F32, JOB_MM_SEQ_NT_F32, JOB_MM_SPARSE_F32] = [
  0, 1, 2, 3, 4, 5, 6, 7
]
/** Scratch of mm_bc_f32 for one 4 × 8 tile's double totals. */
const TILE_BYTES = 256
/** mm_sparse_f32's rows listed at a time (SPARSE_ROWS in src-wasm/kernels.ts). */
const SPARSE_ROWS = 16
/** Sums longer than this are never skipped through (the lists of terms would take too much scratch). */
const SPARSE_MAX_TERMS = 4096
/**
 * The fused float32 product skips A's zero terms (mm_sparse_f32) from this share of zeros up. Per
 * term it is ≈ 1.35 × slower than the full sum's 4 × 8 tiles (one row at a time: a load of b per
 * multiply-add), so it pays from ≈ 26 % zeros; a weight's gradient behind a ReLU, about half zeros,
 * takes ≈ 0.7 × the time (dW1 of the lesson: 170 against 250 µs).
 */
const SPARSE_MIN_ZEROS = 0.3

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Base64 → bytes, without atob/Buffer (neither is guaranteed in every runtime's typings). */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const table = new Uint8Array(128)
  for (let i = 0; i < BASE64.length; i++) table[BASE64.charCodeAt(i)] = i
  let end = text.length
  while (end > 0 && text[end - 1] === '=') end--
  const out = new Uint8Array(Math.floor((end * 3) / 4))
  let o = 0
  let i = 0
  for (; i + 4 <= end; i += 4) {
    const v =
      (table[text.charCodeAt(i)] << 18) |
      (table[text.charCodeAt(i + 1)] << 12) |
      (table[text.charCodeAt(i + 2)] << 6) |
      table[text.charCodeAt(i + 3)]
    out[o++] = v >> 16
    out[o++] = (v >> 8) & 255
    out[o++] = v & 255
  }
  const rest = end - i
  if (rest >= 2) {
    const v = (table[text.charCodeAt(i)] << 18) | (table[text.charCodeAt(i + 1)] << 12) | (rest === 3 ? table[text.charCodeAt(i + 2)] << 6 : 0)
    out[o++] = v >> 16
    if (rest === 3) out[o++] = (v >> 8) & 255
  }
  return out
}

/**
 * One array of a kernel call: where it lives in linear memory (its own place when resident, else a
 * copy in the call's scratch region), and whether it is copied in before the call and out after.
 * `data` null: working space of `bytes` in scratch.
 */
interface Slot {
  data: Storage | null
  length: number
  bytes: number
  copyIn: boolean
  copyOut: boolean
  /** Set by `stage`: the array is resident, used where it lives. */
  inPlace: boolean
  ptr: number
}

const input = (data: Storage, length: number, size: number): Slot => ({ data, length, bytes: length * size, copyIn: true, copyOut: false, inPlace: false, ptr: 0 })
const output = (data: Storage, length: number, size: number): Slot => ({ data, length, bytes: length * size, copyIn: false, copyOut: true, inPlace: false, ptr: 0 })
const inOut = (data: Storage, length: number, size: number): Slot => ({ data, length, bytes: length * size, copyIn: true, copyOut: true, inPlace: false, ptr: 0 })
const space = (bytes: number): Slot => ({ data: null, length: 0, bytes, copyIn: false, copyOut: false, inPlace: false, ptr: 0 })

/**
 * One instance of the kernels on its linear memory, with views over it. On a shared memory the
 * memory is also the heap of resident storages (ResidentMemory): arrays that live there are used in
 * place, the rest copied into a scratch region. On a plain memory (no SharedArrayBuffer: a browser
 * page without cross-origin isolation) everything is copied, to the start of memory.
 */
class Arena {
  private buffer: ArrayBufferLike | null = null
  f32 = new Float32Array(0)
  f64 = new Float64Array(0)

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly k: KernelExports,
    readonly resident: ResidentMemory | null
  ) {}

  /**
   * Places a call's arrays (fills each slot's `ptr`) and copies the inputs in; false if the memory
   * cannot hold them.
   */
  stage(slots: Slot[], size: number): boolean {
    let bytes = 0
    for (const slot of slots) {
      const own = slot.data && this.resident ? this.resident.pointer(slot.data) : -1
      slot.inPlace = own >= 0
      slot.ptr = slot.inPlace ? own : bytes
      if (!slot.inPlace) bytes += alignUp(slot.bytes)
    }
    const base = this.scratch(bytes)
    if (base < 0) return false
    const view = size === 4 ? this.f32 : this.f64
    for (const slot of slots) {
      if (slot.inPlace) continue
      slot.ptr += base
      if (slot.copyIn) view.set(slot.data!.subarray(0, slot.length), slot.ptr / size)
    }
    return true
  }

  /** Copies a staged call's outputs back out of linear memory. */
  unstage(slots: Slot[], size: number): void {
    const view = size === 4 ? this.f32 : this.f64
    for (const slot of slots) if (slot.copyOut && !slot.inPlace) slot.data!.set(view.subarray(slot.ptr / size, slot.ptr / size + slot.length))
  }

  /** The start of a region of `bytes` for copies and working space (−1 if memory cannot grow so far). */
  private scratch(bytes: number): number {
    let at = 0
    if (this.resident) at = this.resident.scratch(bytes)
    else if (bytes > this.memory.buffer.byteLength) {
      try {
        this.memory.grow(Math.ceil((bytes - this.memory.buffer.byteLength) / PAGE))
      } catch {
        at = -1
      }
    }
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer
      this.f32 = new Float32Array(this.buffer)
      this.f64 = new Float64Array(this.buffer)
    }
    return at
  }
}

/** mm_sparse_f32's scratch for sums of k terms: a count and k (offset, value) pairs per listed row. */
const sparseListBytes = (k: number): number => alignUp(SPARSE_ROWS * (4 + 8 * k))

class WasmBackend implements WasmKernels {
  readonly name = 'wasm' as const
  readonly fusedMadd: boolean
  updates = 0
  sparseProducts = 0

  constructor(
    readonly variant: WasmVariant,
    private readonly arena: Arena,
    /** The thread that runs the other part of split jobs, on the same (shared) memory. */
    private readonly helper: KernelHelper | null = null
  ) {
    this.fusedMadd = variant === 'relaxed-simd' && arena.k.relaxed_madd_is_fused(1 + 2 ** -23, 1 - 2 ** -23, -1) === 1
  }

  get residentStorages(): ResidentMemory | undefined {
    return this.arena.resident ?? undefined
  }

  get threads(): number {
    return this.helper ? 2 : 1
  }

  helperJobs(): number {
    return this.helper?.jobs ?? 0
  }

  helperChunks(): number {
    return this.helper?.helpedChunks ?? 0
  }

  get adaptiveThreads(): boolean {
    return this.helper?.adaptive ?? true
  }

  set adaptiveThreads(adaptive: boolean) {
    if (this.helper) this.helper.adaptive = adaptive
  }

  waitForHelper(ms: number): boolean {
    return this.helper?.waitUntilReady(ms) ?? false
  }

  memoryBytes(): number {
    return this.arena.memory.buffer.byteLength
  }

  /**
   * Stages `slots`, runs `job(split)` — split with the helper when `key` names a job shape big
   * enough to split and splitting has measured faster for that shape (KernelHelper.measured), else
   * on one thread — and copies the outputs out. False when linear memory cannot hold the operands.
   */
  private dispatch(key: string | null, slots: Slot[], size: number, job: (split: boolean) => void): boolean {
    if (!this.arena.stage(slots, size)) return false
    if (this.helper && key) this.helper.measured(key, job)
    else job(false)
    this.arena.unstage(slots, size)
    return true
  }

  matmul(a: Storage, b: Storage, out: Storage, m: number, k: number, n: number, transA: boolean, transB: boolean, bias?: Storage): void {
    const f32 = a instanceof Float32Array
    const sameType = f32
      ? b instanceof Float32Array && out instanceof Float32Array && (!bias || bias instanceof Float32Array)
      : b instanceof Float64Array && out instanceof Float64Array && (!bias || bias instanceof Float64Array)
    if (!sameType || k <= SHORT_SUM || m * k * n < MIN_MATMUL_MACS || m === 0 || n === 0) {
      typescriptKernels.matmul(a, b, out, m, k, n, transA, transB, bias)
      return
    }
    const size = f32 ? 4 : 8
    // b is laid out k×n first when stored transposed, except for float64's dot-product kernel.
    const transposeB = transB && (f32 || transA)
    const slots = {
      a: input(a, m * k, size),
      b: input(b, k * n, size),
      bias: bias ? input(bias, n, size) : space(0),
      out: output(out, m * n, size),
      transposed: space(transposeB ? k * n * size : 0),
      // The blocked float32 kernel keeps a tile's double totals in 256 bytes of its own, the sparse
      // one its lists of terms: one area per thread.
      tiles: space(2 * TILE_BYTES),
      lists: space(f32 && this.fusedMadd && !transB && k <= SPARSE_MAX_TERMS ? 2 * sparseListBytes(k) : 0)
    }
    const dotProducts = !transposeB && transB
    if (f32 && this.fusedMadd && transB && !transA) {
      if (!this.matmulSeqNT(slots, m, k, n, !!bias)) typescriptKernels.matmul(a, b, out, m, k, n, transA, transB, bias)
      return
    }
    const job = dotProducts ? JOB_MM_NT_F64 : !f32 ? JOB_MM_BC_F64 : this.fusedMadd ? JOB_MM_SEQ_F32 : JOB_MM_BC_F32
    // Split by rows, in chunks of whole 4-row tiles, so that every row takes the same path through
    // the kernel's tiles as in one call (each output is summed alike on any path; whole 4-row tiles
    // are also the fast one).
    const helper = this.helper
    const splittable = !!helper && m * k * n >= MIN_PARALLEL_MACS && m > 4
    const done = this.dispatch(splittable ? `${job}:${m}×${k}×${n}` : null, Object.values(slots), size, (split) => {
      const kx = this.arena.k
      const pa = slots.a.ptr
      const pout = slots.out.ptr
      const biasPtr = bias ? slots.bias.ptr : 0
      const ptiles = slots.tiles.ptr
      let kind = job
      let call: (x: number[]) => void
      let args: (first: number, rows: number) => number[]
      // Working space each thread has of its own: the chunks carry the caller's, `own` the helper's.
      let own: OwnArgument | null = null
      if (dotProducts) {
        call = (x) => kx.mm_nt_f64(x[0], x[1], x[2], x[3], x[4], x[5], x[6])
        args = (i, rows) => [pa + i * k * size, slots.b.ptr, pout + i * n * size, rows, k, n, biasPtr]
      } else {
        let bPtr = slots.b.ptr
        if (transposeB) {
          // b is stored n×k; lay it out k×n first (float32 always, so that each output is summed
          // over p in order like the reference; float64 only for aᵀ·bᵀ).
          ;(f32 ? kx.transpose_f32 : kx.transpose_f64)(bPtr, slots.transposed.ptr, n, k)
          bPtr = slots.transposed.ptr
        }
        const sai = transA ? 1 : k
        const sap = transA ? m : 1
        // The fused sums may skip A's zero terms (its lists of terms are its working space); the
        // blocked kernel keeps a tile's totals in its own.
        if (slots.lists.bytes > 0 && this.skipZeroTerms(pa, m * k, bPtr, k * n)) {
          kind = JOB_MM_SPARSE_F32
          own = { index: 9, theirs: slots.lists.ptr + sparseListBytes(k) }
          this.sparseProducts++
        } else if (job === JOB_MM_BC_F32) {
          own = { index: 9, theirs: ptiles + TILE_BYTES }
        }
        const workArea = kind === JOB_MM_SPARSE_F32 ? slots.lists.ptr : ptiles
        call =
          kind === JOB_MM_SPARSE_F32
            ? (x) => kx.mm_sparse_f32(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9])
            : kind === JOB_MM_BC_F32
              ? (x) => kx.mm_bc_f32(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9])
              : f32
                ? (x) => kx.mm_seq_f32(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8])
                : (x) => kx.mm_bc_f64(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8])
        args = (i, rows) => {
          const head = [pa + i * sai * size, sai, sap, bPtr, pout + i * n * size, rows, k, n, biasPtr]
          return own ? [...head, workArea] : head
        }
      }
      if (split && helper) helper.run(kind, chunkRanges(m, 4).map(([from, to]) => args(from, to - from)), call, own)
      else call(args(0, m))
    })
    if (!done) typescriptKernels.matmul(a, b, out, m, k, n, transA, transB, bias)
  }

  /**
   * Whether the fused product A·b may skip A's zero terms (mm_sparse_f32): enough of them to pay,
   * and b finite (a skipped 0·∞ would have made the sum NaN).
   */
  private skipZeroTerms(a: number, aLength: number, b: number, bLength: number): boolean {
    const kx = this.arena.k
    return kx.count_zeros_f32(a, aLength) >= SPARSE_MIN_ZEROS * aLength && kx.any_nonfinite_f32(b, bLength) === 0
  }

  /**
   * x·Wᵀ in the fused order (mm_seq_nt_f32): each thread transposes its own rows of W and computes
   * those columns of the output. Split by rows like the other products, both threads would read all
   * of the transposed W, fresh in the caller's cache, and splitting would gain nothing.
   */
  private matmulSeqNT(slots: Record<'a' | 'b' | 'bias' | 'out' | 'transposed' | 'tiles', Slot>, m: number, k: number, n: number, withBias: boolean): boolean {
    const helper = this.helper
    const splittable = !!helper && m * k * n >= MIN_PARALLEL_MACS && n > 8
    const key = splittable ? `${JOB_MM_SEQ_NT_F32}:${m}×${k}×${n}` : null
    return this.dispatch(key, Object.values(slots), 4, (split) => {
      const kx = this.arena.k
      const args = (j0: number, j1: number): number[] => [
        slots.a.ptr, k, 1, slots.b.ptr, slots.transposed.ptr + j0 * k * 4, slots.out.ptr, m, k, n, j0, j1, withBias ? slots.bias.ptr : 0
      ]
      const call = (x: number[]): void => kx.mm_seq_nt_f32(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], x[11])
      // Chunks of whole 8-column tiles.
      if (split && helper) helper.run(JOB_MM_SEQ_NT_F32, chunkRanges(n, 8).map(([j0, j1]) => args(j0, j1)), call)
      else call(args(0, n))
    })
  }

  sum(a: Storage): number {
    if (a.length < MIN_SUM_LENGTH) return typescriptKernels.sum(a)
    const f32 = a instanceof Float32Array
    const size = f32 ? 4 : 8
    const slots = [input(a, a.length, size)]
    let total = 0
    const done = this.dispatch(null, slots, size, () => {
      total = f32 ? this.arena.k.sum_f32(slots[0].ptr, a.length) : this.arena.k.sum_f64(slots[0].ptr, a.length)
    })
    return done ? total : typescriptKernels.sum(a)
  }

  sumRows(a: Storage, out: Storage, rows: number, cols: number): void {
    const f32 = a instanceof Float32Array
    const size = f32 ? 4 : 8
    const slots = [input(a, rows * cols, size), output(out, cols, size)]
    const done =
      rows > SHORT_SUM &&
      rows * cols >= MIN_SUM_LENGTH &&
      f32 === out instanceof Float32Array &&
      this.dispatch(null, slots, size, () => (f32 ? this.arena.k.sum_rows_f32 : this.arena.k.sum_rows_f64)(slots[0].ptr, slots[1].ptr, rows, cols))
    if (!done) typescriptKernels.sumRows(a, out, rows, cols)
  }

  relu(x: Storage, out: Storage): boolean {
    const n = x.length
    if (n < MIN_ELEMENTWISE_LENGTH || !(x instanceof Float32Array) || !(out instanceof Float32Array)) return false
    const slots = [input(x, n, 4), output(out, n, 4)]
    return this.dispatch(null, slots, 4, () => this.arena.k.relu_f32(slots[0].ptr, slots[1].ptr, n))
  }

  reluBackward(out: Storage, g: Storage, grad: Storage): boolean {
    const n = out.length
    if (n < MIN_ELEMENTWISE_LENGTH || !(out instanceof Float32Array) || !(g instanceof Float32Array) || !(grad instanceof Float32Array)) return false
    const slots = [input(out, n, 4), input(g, n, 4), output(grad, n, 4)]
    return this.dispatch(null, slots, 4, () => this.arena.k.relu_backward_f32(slots[0].ptr, slots[1].ptr, slots[2].ptr, n))
  }

  fma32(a: Float32Array, b: Float32Array, c: Float32Array, fused = false): Float32Array {
    const len = Math.ceil(a.length / 4) * 4
    const result = new Float32Array(a.length)
    // Each operand padded to whole vectors with zeros.
    const slots = [a, b, c].map((x) => input(x, x.length, 4)).concat(output(result, a.length, 4))
    for (const slot of slots) slot.bytes = len * 4
    this.dispatch(null, slots, 4, () =>
      this.arena.k.fma_f32(slots[0].ptr, slots[1].ptr, slots[2].ptr, slots[3].ptr, len, fused && this.fusedMadd ? 1 : 0)
    )
    return result
  }

  adamUpdate(
    param: Storage,
    grad: Storage,
    expAvg: Storage,
    expAvgSq: Storage,
    maxExpAvgSq: Storage | null,
    s: AdamUpdateScalars
  ): boolean {
    const len = param.length
    const f32 = param instanceof Float32Array
    const arrays = maxExpAvgSq ? [param, grad, expAvg, expAvgSq, maxExpAvgSq] : [param, grad, expAvg, expAvgSq]
    if (len < MIN_UPDATE_LENGTH || arrays.some((a) => a.length !== len || a instanceof Float32Array !== f32)) return false
    const size = f32 ? 4 : 8
    // The scalars exactly as adam.ts rounds them: a Python float meeting a float32 tensor is rounded.
    const R = f32 ? Math.fround : (x: number): number => x
    const w = R(1 - s.beta1)
    const flags =
      (s.maximize ? MAXIMIZE : 0) |
      (s.weightDecay !== 0 && !s.decoupledWeightDecay ? COUPLED : 0) |
      (s.weightDecay !== 0 && s.decoupledWeightDecay ? DECOUPLED : 0) |
      (maxExpAvgSq ? AMSGRAD : 0) |
      (Math.abs(w) < 0.5 ? LERP_LOW : 0) |
      (this.fusedMadd ? FUSED : 0)
    const scalars = [
      R(s.weightDecay),
      R(1 - s.lr * s.weightDecay),
      R(s.beta2),
      w,
      R(1 - s.beta2),
      R(s.biasCorrection2Sqrt),
      R(s.eps),
      R(-s.stepSize)
    ] as const
    const slots = {
      param: inOut(param, len, size),
      grad: input(grad, len, size),
      expAvg: inOut(expAvg, len, size),
      expAvgSq: inOut(expAvgSq, len, size),
      maxExpAvgSq: maxExpAvgSq ? inOut(maxExpAvgSq, len, size) : space(0),
      // The kernel pads a tail of fewer than one vector in 80 bytes of its own: one area per thread.
      tails: space(256)
    }
    // Elements [from, from + count); the chunks carry the caller's tail area (the helper uses its own).
    const args = (from: number, count: number): number[] => {
      const at = from * size
      const vmax = maxExpAvgSq ? slots.maxExpAvgSq.ptr + at : 0
      const head = [slots.param.ptr + at, slots.grad.ptr + at, slots.expAvg.ptr + at, slots.expAvgSq.ptr + at, vmax, count]
      return f32 ? [...head, slots.tails.ptr, flags, ...scalars] : [...head, flags, ...scalars]
    }
    const helper = this.helper
    const job = f32 ? JOB_ADAM_F32 : JOB_ADAM_F64
    const splittable = !!helper && len >= MIN_PARALLEL_UPDATE
    const done = this.dispatch(splittable ? `${job}:${len}` : null, Object.values(slots), size, (split) => {
      const kernel = (f32 ? this.arena.k.adam_f32 : this.arena.k.adam_f64) as (...a: number[]) => void
      const call = (x: number[]): void => kernel(...x)
      if (split && helper) {
        // Chunks of whole 16-element steps; adam_f32 pads a tail in an area of each thread's own.
        const chunks = chunkRanges(len, 16).map(([from, to]) => args(from, to - from))
        helper.run(job, chunks, call, f32 ? { index: 6, theirs: slots.tails.ptr + 128 } : null)
      } else {
        call(args(0, len))
      }
    })
    if (done) this.updates++
    return done
  }
}

interface Loaded {
  kernels: WasmKernels | null
  reason: string
}

const loaded = new Map<string, Loaded>()

/** The module of a variant; throws where the runtime cannot compile it. */
function compile(variant: WasmVariant, shared: boolean): WebAssembly.Module {
  if (typeof WebAssembly !== 'object') throw new Error('this runtime has no WebAssembly')
  const text = variant === 'simd128' ? (shared ? SIMD128_SHARED_WASM : SIMD128_WASM) : shared ? RELAXED_SIMD_SHARED_WASM : RELAXED_SIMD_WASM
  const bytes = decodeBase64(text)
  // Validating the module itself is the feature test: it uses SIMD128 (and relaxed SIMD).
  if (!WebAssembly.validate(bytes)) throw new Error(`this runtime does not support WebAssembly ${variant === 'simd128' ? 'SIMD' : 'relaxed SIMD'}${shared ? ' on shared memory' : ''}`)
  return new WebAssembly.Module(bytes)
}

/** An instance of `module` on `memory`, with views over it. */
function arenaOn(module: WebAssembly.Module, memory: WebAssembly.Memory, resident: ResidentMemory | null): Arena {
  const instance = new WebAssembly.Instance(module, { env: { memory } })
  return new Arena(memory, instance.exports as unknown as KernelExports, resident)
}

/** A shared memory, or null where the runtime has none (SharedArrayBuffer needs cross-origin isolation in a browser). */
function sharedMemory(): WebAssembly.Memory | null {
  if (typeof SharedArrayBuffer !== 'function') return null
  try {
    return new WebAssembly.Memory({ initial: 16, maximum: SHARED_MAX_PAGES, shared: true })
  } catch {
    return null
  }
}

/**
 * The kernels on a shared memory that is also the heap of resident storages, where the runtime has
 * shared memory; `spawn` given, with a helper thread started by it on a second instance of the same
 * module. Elsewhere the plain build on a plain memory, one thread, every array copied.
 */
function load(variant: WasmVariant, spawn?: SpawnKernelThread): Loaded {
  const key = spawn ? `${variant}+threads` : variant
  const cached = loaded.get(key)
  if (cached) return cached
  let result: Loaded
  try {
    const memory = sharedMemory()
    let backend: WasmBackend
    if (memory) {
      const module = compile(variant, true)
      const helper = spawn ? new KernelHelper(spawn, { module, memory, names: HELPER_JOBS, spinMs: HELPER_SPIN_MS }) : null
      backend = new WasmBackend(variant, arenaOn(module, memory, new ResidentMemory(memory)), helper)
    } else {
      backend = new WasmBackend(variant, arenaOn(compile(variant, false), new WebAssembly.Memory({ initial: 16 }), null))
    }
    result = { kernels: backend, reason: '' }
  } catch (error) {
    result = { kernels: null, reason: (error as Error).message ?? String(error) }
  }
  loaded.set(key, result)
  return result
}

/**
 * The WebAssembly kernels, or null where the runtime cannot run them (no WebAssembly, no SIMD, or
 * compilation refused). Relaxed SIMD is used when the runtime supports it, unless `relaxedSimd` is
 * false. With `threads`, the shared-memory build with a helper thread started by it (two threads for
 * big products and updates), or one thread where shared memory is unavailable.
 */
export function wasmKernels(options: { relaxedSimd?: boolean; threads?: SpawnKernelThread } = {}): WasmKernels | null {
  if (options.threads) {
    // Shared memory needs SharedArrayBuffer (cross-origin isolation in a browser); without it, one thread.
    const relaxed = options.relaxedSimd !== false ? load('relaxed-simd', options.threads) : null
    if (relaxed?.kernels) return relaxed.kernels
    const plain = load('simd128', options.threads)
    if (plain.kernels) return plain.kernels
  }
  if (options.relaxedSimd !== false) {
    const relaxed = load('relaxed-simd')
    if (relaxed.kernels) return relaxed.kernels
  }
  return load('simd128').kernels
}

/** Why the WebAssembly kernels are unavailable ('' when they are available). */
export function wasmUnavailableReason(): string {
  return load('simd128').reason
}
