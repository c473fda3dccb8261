import type { Storage } from '../tensor/dtype'
import type { AdamUpdateScalars, Kernels } from './kernels'
import { RELAXED_SIMD_SHARED_WASM, RELAXED_SIMD_WASM, SIMD128_SHARED_WASM, SIMD128_WASM } from './generated/wasm-modules'
import { KernelHelper, type SpawnKernelThread } from './kernel-threads'
import { SEQUENTIAL_FLOAT32_MAX_TERMS, typescriptKernels } from './typescript-kernels'

/**
 * The WebAssembly SIMD backend. The kernels (src-wasm/kernels.ts, AssemblyScript) are compiled at
 * build time into a generated module of base64 strings, so the engine needs neither the file
 * system nor fetch: the bytes are compiled synchronously with `new WebAssembly.Module`, which every
 * runtime of the engine allows (the utility process, the CLI and Vitest are Node; the web stand-in
 * is a Web Worker, where the 4 KB limit on synchronous compilation of Chromium's main thread does
 * not apply; the renderer's CSP carries 'wasm-unsafe-eval').
 *
 * Operands are copied into a linear memory owned by this module (grown on demand, never shrunk; a
 * second, shared one for jobs split over threads), the kernel runs there, and the result is copied back; for the lesson's products the copies cost a
 * few percent of the arithmetic. float32 products sum in one of two orders. Where relaxed madd is a
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
  /** Bytes of linear memory currently reserved for operands. */
  memoryBytes(): number
  /** How many optimizer updates ran here (0 while the optimizers do not call the hook). */
  readonly updates: number
  adamUpdate(
    param: Storage,
    grad: Storage,
    expAvg: Storage,
    expAvgSq: Storage,
    maxExpAvgSq: Storage | null,
    scalars: AdamUpdateScalars
  ): boolean
  /** Threads that compute big products and updates: 2 with a helper thread, else 1. */
  readonly threads: number
  /** Jobs the helper thread has finished. */
  helperJobs(): number
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
/** Optimizer updates of fewer elements stay in TypeScript. */
const MIN_UPDATE_LENGTH = 256
/** Products with fewer multiply-adds, and updates of fewer elements, are not split over threads. */
const MIN_PARALLEL_MACS = 1 << 19
const MIN_PARALLEL_UPDATE = 1 << 15
/**
 * How long an idle helper spins before it sleeps, in ms: long enough to stay awake across one
 * training step's other work (≈ 0.1–0.3 ms between the big products), short enough to leave the core
 * alone when training pauses.
 */
const HELPER_SPIN_MS = 0.3
const PAGE = 65536
/** Maximum pages of the shared memory (as the shared builds declare: 2 GiB). */
const SHARED_MAX_PAGES = 32768
/** The exports a helper thread may run, by index (KernelHelper jobs). */
const HELPER_JOBS = ['mm_nt_f64', 'mm_bc_f32', 'mm_bc_f64', 'adam_f32', 'adam_f64', 'mm_seq_f32']
const [JOB_MM_NT_F64, JOB_MM_BC_F32, JOB_MM_BC_F64, JOB_ADAM_F32, JOB_ADAM_F64, JOB_MM_SEQ_F32] = [0, 1, 2, 3, 4, 5]
const ALIGN = 64
/** Scratch of mm_bc_f32 for one 4 × 8 tile's double totals. */
const TILE_BYTES = 256

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

const alignUp = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN

/**
 * One instance of the kernels on its own linear memory (grown on demand, never shrunk), with views
 * over it. Copying into a shared memory is ≈ 2.3 × slower than into a plain one in V8 (26 against
 * 11.6 µs per 656 KB here, Node 20): with threads, jobs that run on one thread use a plain arena,
 * and only jobs split with the helper pay for the shared one.
 */
class Arena {
  private buffer: ArrayBuffer | SharedArrayBuffer | null = null
  f32 = new Float32Array(0)
  f64 = new Float64Array(0)

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly k: KernelExports
  ) {}

  /** Makes sure `bytes` fit in linear memory; false if the memory cannot grow that far. */
  reserve(bytes: number): boolean {
    const have = this.memory.buffer.byteLength
    if (bytes > have) {
      try {
        this.memory.grow(Math.ceil((bytes - have) / PAGE))
      } catch {
        return false
      }
    }
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer
      this.f32 = new Float32Array(this.buffer)
      this.f64 = new Float64Array(this.buffer)
    }
    return true
  }

  viewFor(a: Storage): Float32Array | Float64Array {
    return a instanceof Float32Array ? this.f32 : this.f64
  }
}

/** Where split jobs run: the shared arena, and the helper thread working on it. */
interface Threads {
  arena: Arena
  helper: KernelHelper
}

class WasmBackend implements WasmKernels {
  readonly name = 'wasm' as const
  readonly fusedMadd: boolean
  updates = 0

  constructor(
    readonly variant: WasmVariant,
    /** Where every job runs on one thread. */
    private readonly whole: Arena,
    private readonly threaded: Threads | null = null
  ) {
    this.fusedMadd = variant === 'relaxed-simd' && whole.k.relaxed_madd_is_fused(1 + 2 ** -23, 1 - 2 ** -23, -1) === 1
  }

  get threads(): number {
    return this.threaded ? 2 : 1
  }

  helperJobs(): number {
    return this.threaded?.helper.jobs ?? 0
  }

  get adaptiveThreads(): boolean {
    return this.threaded?.helper.adaptive ?? true
  }

  set adaptiveThreads(adaptive: boolean) {
    if (this.threaded) this.threaded.helper.adaptive = adaptive
  }

  waitForHelper(ms: number): boolean {
    return this.threaded?.helper.waitUntilReady(ms) ?? false
  }

  memoryBytes(): number {
    return this.whole.memory.buffer.byteLength + (this.threaded?.arena.memory.buffer.byteLength ?? 0)
  }

  /**
   * Runs `job(split)`: split with the helper when `key` names a job shape big enough to split and
   * splitting has measured faster for that shape, copies included (KernelHelper.measured), else on
   * one thread. `job` returns false when its arena cannot hold the operands.
   */
  private dispatch(key: string | null, job: (split: boolean) => boolean): boolean {
    const helper = this.threaded?.helper
    return helper && key ? helper.measured(key, job) : job(false)
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
    const pa = 0
    const pb = pa + alignUp(m * k * size)
    const pbias = pb + alignUp(k * n * size)
    const pout = pbias + (bias ? alignUp(n * size) : 0)
    const pscratch = pout + alignUp(m * n * size)
    // b is laid out k×n first when stored transposed, except for float64's dot-product kernel.
    const transposeB = transB && (f32 || transA)
    // The blocked float32 kernel keeps a tile's double totals in 256 bytes of its own: one area per thread.
    const ptiles = pscratch + (transposeB ? alignUp(k * n * size) : 0)
    const end = ptiles + 2 * TILE_BYTES
    const biasPtr = bias ? pbias : 0
    const dotProducts = !transposeB && transB
    const job = dotProducts ? JOB_MM_NT_F64 : !f32 ? JOB_MM_BC_F64 : this.fusedMadd ? JOB_MM_SEQ_F32 : JOB_MM_BC_F32
    // Rows [0, mine) here and [mine, m) on the helper, split at a multiple of 4 so that every row
    // takes the same path through the kernel's tiles as in one call (each output is summed alike on
    // any path; whole 4-row tiles are also the fast one).
    const helper = this.threaded?.helper
    const mine = helper ? Math.round((m * helper.share) / 4) * 4 : 0
    const splittable = !!helper && m * k * n >= MIN_PARALLEL_MACS && mine > 0 && mine < m
    const done = this.dispatch(splittable ? `${job}:${m}×${k}×${n}` : null, (split) => {
      const arena = split && this.threaded ? this.threaded.arena : this.whole
      if (!arena.reserve(end)) return false
      const view = arena.viewFor(a)
      view.set(a.subarray(0, m * k), pa / size)
      view.set(b.subarray(0, k * n), pb / size)
      if (bias) view.set(bias.subarray(0, n), pbias / size)
      let call: (x: number[]) => void
      let args: (first: number, rows: number, tile: number) => number[]
      if (dotProducts) {
        call = (x) => arena.k.mm_nt_f64(x[0], x[1], x[2], x[3], x[4], x[5], x[6])
        args = (i, rows) => [pa + i * k * size, pb, pout + i * n * size, rows, k, n, biasPtr]
      } else {
        let bPtr = pb
        if (transposeB) {
          // b is stored n×k; lay it out k×n first (float32 always, so that each output is summed
          // over p in order like the reference; float64 only for aᵀ·bᵀ).
          ;(f32 ? arena.k.transpose_f32 : arena.k.transpose_f64)(pb, pscratch, n, k)
          bPtr = pscratch
        }
        const sai = transA ? 1 : k
        const sap = transA ? m : 1
        const { mm_bc_f32, mm_seq_f32, mm_bc_f64 } = arena.k
        const blocked = job === JOB_MM_BC_F32
        call = blocked
          ? (x) => mm_bc_f32(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9])
          : f32
            ? (x) => mm_seq_f32(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8])
            : (x) => mm_bc_f64(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8])
        args = (i, rows, tile) => {
          const head = [pa + i * sai * size, sai, sap, bPtr, pout + i * n * size, rows, k, n, biasPtr]
          return blocked ? [...head, tile] : head
        }
      }
      if (split && helper) {
        const theirs = args(mine, m - mine, ptiles + TILE_BYTES)
        helper.run(job, theirs, () => call(args(0, mine, ptiles)), () => call(theirs))
      } else {
        call(args(0, m, ptiles))
      }
      out.set(view.subarray(pout / size, pout / size + m * n))
      return true
    })
    if (!done) typescriptKernels.matmul(a, b, out, m, k, n, transA, transB, bias)
  }

  sum(a: Storage): number {
    if (a.length < MIN_SUM_LENGTH) return typescriptKernels.sum(a)
    const size = a instanceof Float32Array ? 4 : 8
    const arena = this.whole
    if (!arena.reserve(a.length * size)) return typescriptKernels.sum(a)
    arena.viewFor(a).set(a, 0)
    return a instanceof Float32Array ? arena.k.sum_f32(0, a.length) : arena.k.sum_f64(0, a.length)
  }

  sumRows(a: Storage, out: Storage, rows: number, cols: number): void {
    const size = a instanceof Float32Array ? 4 : 8
    const pout = alignUp(rows * cols * size)
    const arena = this.whole
    if (
      rows <= SHORT_SUM ||
      rows * cols < MIN_SUM_LENGTH ||
      (a instanceof Float32Array) !== (out instanceof Float32Array) ||
      !arena.reserve(pout + cols * size)
    ) {
      typescriptKernels.sumRows(a, out, rows, cols)
      return
    }
    const view = arena.viewFor(a)
    view.set(a.subarray(0, rows * cols), 0)
    ;(a instanceof Float32Array ? arena.k.sum_rows_f32 : arena.k.sum_rows_f64)(0, pout, rows, cols)
    out.set(view.subarray(pout / size, pout / size + cols))
  }

  fma32(a: Float32Array, b: Float32Array, c: Float32Array, fused = false): Float32Array {
    const len = Math.ceil(a.length / 4) * 4
    const stride = alignUp(len * 4)
    const arena = this.whole
    arena.reserve(4 * stride)
    ;[a, b, c].forEach((x, i) => arena.f32.set(x, (i * stride) / 4))
    arena.k.fma_f32(0, stride, 2 * stride, 3 * stride, len, fused && this.fusedMadd ? 1 : 0)
    return arena.f32.slice((3 * stride) / 4, (3 * stride) / 4 + a.length)
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
    const stride = alignUp(len * size)
    const scratch = arrays.length * stride
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
    const vmax = maxExpAvgSq ? 4 * stride : 0
    // Elements [from, from + count): offsets into each array; the helper's tail uses its own scratch.
    const args = (from: number, count: number, scratchAt: number): number[] => {
      const at = from * size
      const head = [at, stride + at, 2 * stride + at, 3 * stride + at, vmax ? vmax + at : 0, count]
      return f32 ? [...head, scratchAt, flags, ...scalars] : [...head, flags, ...scalars]
    }
    const helper = this.threaded?.helper
    const half = helper ? Math.round((len * helper.share) / 16) * 16 : 0
    const job = f32 ? JOB_ADAM_F32 : JOB_ADAM_F64
    const splittable = !!helper && len >= MIN_PARALLEL_UPDATE && half > 0 && half < len
    const done = this.dispatch(splittable ? `${job}:${len}` : null, (split) => {
      const arena = split && this.threaded ? this.threaded.arena : this.whole
      if (!arena.reserve(scratch + 256)) return false
      const view = arena.viewFor(param)
      arrays.forEach((a, i) => view.set(a, (i * stride) / size))
      const kernel = f32 ? arena.k.adam_f32 : arena.k.adam_f64
      const call = (x: number[]): void => (kernel as (...a: number[]) => void)(...x)
      if (split && helper) {
        const theirs = args(half, len - half, scratch + 128)
        helper.run(job, theirs, () => call(args(0, half, scratch)), () => call(theirs))
      } else {
        call(args(0, len, scratch))
      }
      const at = (i: number): Storage => view.subarray((i * stride) / size, (i * stride) / size + len)
      param.set(at(0))
      expAvg.set(at(2))
      expAvgSq.set(at(3))
      if (maxExpAvgSq) maxExpAvgSq.set(at(4))
      return true
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
function arenaOn(module: WebAssembly.Module, memory: WebAssembly.Memory): Arena {
  const instance = new WebAssembly.Instance(module, { env: { memory } })
  return new Arena(memory, instance.exports as unknown as KernelExports)
}

/**
 * `spawn` given: also the shared build on a shared memory, with a helper thread started by `spawn`
 * on a second instance of that module; jobs run on one thread keep the plain build's memory.
 */
function load(variant: WasmVariant, spawn?: SpawnKernelThread): Loaded {
  const key = spawn ? `${variant}+threads` : variant
  const cached = loaded.get(key)
  if (cached) return cached
  let result: Loaded
  try {
    const whole = arenaOn(compile(variant, false), new WebAssembly.Memory({ initial: 16 }))
    let threaded: Threads | null = null
    if (spawn) {
      const module = compile(variant, true)
      const memory = new WebAssembly.Memory({ initial: 16, maximum: SHARED_MAX_PAGES, shared: true })
      const helper = new KernelHelper(spawn, { module, memory, names: HELPER_JOBS, spinMs: HELPER_SPIN_MS })
      threaded = { arena: arenaOn(module, memory), helper }
    }
    result = { kernels: new WasmBackend(variant, whole, threaded), reason: '' }
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
