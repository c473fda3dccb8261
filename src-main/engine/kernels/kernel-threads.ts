/**
 * A helper thread for the WebAssembly kernels: a second instance of the same module on the same
 * shared linear memory, which runs one half of a big product (or of an optimizer update) while the
 * calling thread runs the other. Each output element is still computed by one thread in the
 * reference's order, so results are bit for bit those of one thread.
 *
 * The hand-off is a few integers in a SharedArrayBuffer: the caller writes a job and bumps `SEQ`;
 * the helper spins on it for a short while (a sleep/wake round trip costs ≈ 70 µs here, about a
 * third of a half product), then sleeps in `Atomics.wait`; when done it stores the job's number in
 * `DONE`. The engine cannot start threads itself (it runs in Node, a Web Worker and Electron's
 * utility process alike): the host passes a `SpawnKernelThread` that starts `serveKernelThread` in
 * its runtime's kind of worker.
 */

/** Int32 slots of the control block. */
export const CONTROL = {
  /** Number of the latest job posted by the caller. */
  SEQ: 0,
  /** Number of the latest job the helper finished. */
  DONE: 1,
  /** 1 once the helper has instantiated the module and waits for jobs. */
  READY: 2,
  /** 1 asks the helper to return. */
  STOP: 3,
  /** Index of the job's export in `names`. */
  KIND: 4,
  /** Number of arguments. */
  ARGC: 5
} as const
/** Byte offset of the job's arguments (float64) in the control block. */
export const ARGS_OFFSET = 64
export const MAX_ARGS = 16
export const CONTROL_BYTES = ARGS_OFFSET + 8 * MAX_ARGS

export interface KernelThreadInit {
  module: WebAssembly.Module
  memory: WebAssembly.Memory
  control: SharedArrayBuffer
  /** The exports a job may call, by index. */
  names: string[]
  /** How long the helper spins for the next job before it sleeps, in ms. */
  spinMs: number
}

export interface KernelThreadHandle {
  terminate(): void
}

/** Starts `serveKernelThread(init)` on another thread of the host's runtime. */
export type SpawnKernelThread = (init: KernelThreadInit) => KernelThreadHandle

/**
 * The helper's loop; never returns until STOP. Self-contained on purpose (no imports, no helper
 * functions, numbers instead of the CONTROL names): a Node host runs its source text in a worker.
 */
export function serveKernelThread(init: KernelThreadInit): void {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } })
  const exports = instance.exports as Record<string, (...args: number[]) => void>
  const calls = init.names.map((name) => exports[name])
  const control = new Int32Array(init.control)
  const args = new Float64Array(init.control, 64, 16)
  let seen = Atomics.load(control, 0)
  Atomics.store(control, 2, 1)
  Atomics.notify(control, 2)
  for (;;) {
    let seq = Atomics.load(control, 0)
    if (seq === seen) {
      const until = performance.now() + init.spinMs
      while ((seq = Atomics.load(control, 0)) === seen && performance.now() < until) {
        // spin: the next job usually follows within microseconds
      }
      if (seq === seen) {
        Atomics.wait(control, 0, seen)
        continue
      }
    }
    if (Atomics.load(control, 3) === 1) return
    seen = seq
    const argc = control[5]
    calls[control[4]](...Array.from(args.subarray(0, argc)))
    Atomics.store(control, 1, seq)
    Atomics.notify(control, 1)
  }
}

/** How long the caller waits for the helper's half before it gives up on the helper, in ms. */
const HELPER_TIMEOUT_MS = 5000
/**
 * How long the caller spins for the helper's half before it sleeps, in ms. Short: on a busy machine
 * a spinning caller takes the very core the helper needs.
 */
const CALLER_SPIN_MS = 0.05
/** How far one job moves the caller's share. */
const SHARE_STEP = 1 / 128
/** Weight of the latest time in the moving averages of `plan`. */
const TIME_WEIGHT = 1 / 8
/** Every this many jobs of one shape, the other way is tried again, to notice when it pays again. */
const RETRY_EVERY = 32

/** Moving averages of one job shape's time, run alone and split (NaN: not measured yet). */
interface ShapeTimes {
  alone: number
  split: number
  jobs: number
}

/** The caller's side of one helper thread. */
export class KernelHelper {
  private readonly control: Int32Array
  private readonly args: Float64Array
  private readonly handle: KernelThreadHandle
  private seq = 0
  private broken = false
  /** Jobs the helper finished (for tests and the bench). */
  jobs = 0
  /**
   * The caller's share of each split job. Two threads of one machine are not always equally fast
   * (on our 2-core VMs the second often delivers two thirds of the first), so the share follows
   * which side finishes first: up a little when the caller had to wait, down when it did not.
   */
  share = 0.5
  /**
   * Whether splitting pays is measured, not assumed, per job shape: two vCPUs may share one core's
   * units (on our 2-core VMs two threads each ran at ≈ 55 % of one thread's speed, no gain at all),
   * and on a machine busy with other work the helper gets no core of its own. `plan` runs a shape
   * alone once and split once, then the faster way, trying the other every RETRY_EVERY jobs.
   */
  private readonly shapes = new Map<string, ShapeTimes>()
  /** False: split every big job however it pays (tests of the helper's numbers). */
  adaptive = true

  constructor(spawn: SpawnKernelThread, init: Omit<KernelThreadInit, 'control'>) {
    const control = new SharedArrayBuffer(CONTROL_BYTES)
    this.control = new Int32Array(control)
    this.args = new Float64Array(control, ARGS_OFFSET, MAX_ARGS)
    this.handle = spawn({ ...init, control })
  }

  /** True once the helper waits for jobs (it starts asynchronously; until then callers run alone). */
  get ready(): boolean {
    return !this.broken && Atomics.load(this.control, CONTROL.READY) === 1
  }

  /** Whether to split the next job of shape `key` (then `record` its time). */
  plan(key: string): boolean {
    if (!this.ready) return false
    if (!this.adaptive) return true
    let times = this.shapes.get(key)
    if (!times) this.shapes.set(key, (times = { alone: NaN, split: NaN, jobs: 0 }))
    times.jobs++
    if (Number.isNaN(times.alone)) return false
    if (Number.isNaN(times.split)) return true
    const splitPays = times.split < 0.95 * times.alone
    return times.jobs % RETRY_EVERY === 0 ? !splitPays : splitPays
  }

  /** The time a job of shape `key` took, run alone or split as `plan` said. */
  record(key: string, split: boolean, ms: number): void {
    const times = this.shapes.get(key)
    if (!times) return
    const last = split ? times.split : times.alone
    const next = Number.isNaN(last) ? ms : last + (ms - last) * TIME_WEIGHT
    if (split) times.split = next
    else times.alone = next
  }

  /**
   * Runs `job(split)` for a job of shape `key`, split or whole as `plan` says, and records how long
   * it took (all of it: a split job also copies its operands into the slower shared memory).
   */
  measured<T>(key: string, job: (split: boolean) => T): T {
    const splitting = this.plan(key)
    const start = performance.now()
    const result = job(splitting)
    this.record(key, splitting, performance.now() - start)
    return result
  }

  /** Whether splitting has paid for shape `key` so far (for the bench and tests). */
  splitPays(key: string): boolean | null {
    const times = this.shapes.get(key)
    return times && !Number.isNaN(times.alone + times.split) ? times.split < 0.95 * times.alone : null
  }

  /**
   * Blocks until the helper is ready or `ms` have passed (where the runtime lets this thread block:
   * Node, workers); true if ready. A caller that does not wait simply computes alone until then.
   */
  waitUntilReady(ms: number): boolean {
    if (this.broken) return false
    try {
      Atomics.wait(this.control, CONTROL.READY, 0, ms)
    } catch {
      // a browser's main thread may not block
    }
    return this.ready
  }

  /**
   * Posts `kind(...args)` to the helper, runs `local()` meanwhile and waits for the helper. If the
   * helper does not answer, it is given up and `fallback()` does its part here.
   */
  run(kind: number, args: readonly number[], local: () => void, fallback: () => void): void {
    if (!this.ready) {
      local()
      fallback()
      return
    }
    const c = this.control
    this.args.set(args)
    c[CONTROL.KIND] = kind
    c[CONTROL.ARGC] = args.length
    const seq = ++this.seq
    Atomics.store(c, CONTROL.SEQ, seq)
    Atomics.notify(c, CONTROL.SEQ)
    local()
    const waited = Atomics.load(c, CONTROL.DONE) !== seq
    this.share = Math.min(0.85, Math.max(0.3, this.share + (waited ? SHARE_STEP : -SHARE_STEP)))
    if (waited) {
      const start = performance.now()
      const spinUntil = start + CALLER_SPIN_MS
      while (Atomics.load(c, CONTROL.DONE) !== seq && performance.now() < spinUntil) {
        // spin: the two halves take about as long
      }
      let done: number
      while ((done = Atomics.load(c, CONTROL.DONE)) !== seq) {
        const left = start + HELPER_TIMEOUT_MS - performance.now()
        if (left <= 0) {
          this.broken = true
          this.stop()
          fallback()
          return
        }
        Atomics.wait(c, CONTROL.DONE, done, left)
      }
    }
    this.jobs++
  }

  stop(): void {
    Atomics.store(this.control, CONTROL.STOP, 1)
    Atomics.add(this.control, CONTROL.SEQ, 1)
    Atomics.notify(this.control, CONTROL.SEQ)
    this.handle.terminate()
  }
}
