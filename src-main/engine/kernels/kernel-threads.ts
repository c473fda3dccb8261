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
/** Weight of the latest job in the moving average of the speed-up. */
const GAIN_WEIGHT = 1 / 16
/** Jobs run by the caller alone after splitting stopped paying, before it tries again. */
const PAUSE_JOBS = 600

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
   * Moving average of each split job's speed-up: (caller's time ÷ its share) ÷ the job's time. On a
   * machine busy with other work the helper may get no core of its own, and two threads then run
   * slower than one; below 1 the caller stops splitting for a while (`paused` jobs) and tries again.
   */
  gain = 1.2
  private paused = 0
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

  /** Whether a big job should be split now: the helper is ready and splitting has been paying. */
  get useful(): boolean {
    if (this.paused > 0) {
      this.paused--
      if (this.paused === 0) this.gain = 1.2
      return false
    }
    return this.ready
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
    const start = performance.now()
    Atomics.store(c, CONTROL.SEQ, seq)
    Atomics.notify(c, CONTROL.SEQ)
    local()
    const localMs = performance.now() - start
    const waited = Atomics.load(c, CONTROL.DONE) !== seq
    const share = this.share
    this.share = Math.min(0.85, Math.max(0.3, share + (waited ? SHARE_STEP : -SHARE_STEP)))
    if (waited) {
      const spinUntil = performance.now() + CALLER_SPIN_MS
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
    const gain = localMs / share / (performance.now() - start)
    this.gain += (Math.min(gain, 3) - this.gain) * GAIN_WEIGHT
    if (this.gain < 1 && this.adaptive) this.paused = PAUSE_JOBS
  }

  stop(): void {
    Atomics.store(this.control, CONTROL.STOP, 1)
    Atomics.add(this.control, CONTROL.SEQ, 1)
    Atomics.notify(this.control, CONTROL.SEQ)
    this.handle.terminate()
  }
}
