/**
 * A helper thread for the WebAssembly kernels: a second instance of the same module on the same
 * shared linear memory, which takes part in big products and optimizer updates. A split job is a
 * list of chunks (column or row blocks, element ranges); the caller claims chunks from the front,
 * the helper from the back, until none is left, so a helper that is slow, busy or asleep costs the
 * caller at most the chunk it is running, never half of the job. From opposite ends each thread
 * takes about the same part of every job, so what it wrote stays in its own cache for the next: in
 * the lesson, the rows of W1 the helper's Adam chunks update are the rows its next products read
 * (claimed from one end, the parts changed hands from job to job and the helper's chunks ran
 * 20–35 % slower than the caller's; docs/performance.md).
 * Each output element is still computed by one thread in the reference's order, so results are bit
 * for bit those of one thread.
 *
 * The hand-off is a few integers in a SharedArrayBuffer: the caller writes the job's chunk table and
 * bumps `SEQ`; the helper spins on it for a short while (a sleep/wake round trip costs ≈ 70 µs
 * here), then sleeps in `Atomics.wait`. It joins a job through `GATE`, which the caller closes once
 * every chunk is claimed: a helper that arrives after that skips the job, and the caller waits only
 * for a helper that joined. The engine cannot start threads itself (it runs in Node, a Web Worker
 * and Electron's utility process alike): the host passes a `SpawnKernelThread` that starts
 * `serveKernelThread` in its runtime's kind of worker.
 */

/** Int32 slots of the control block. */
export const CONTROL = {
  /** Number of the latest job posted by the caller. */
  SEQ: 0,
  /** Number of the latest job the helper finished (only jobs it joined). */
  DONE: 1,
  /** 1 once the helper has instantiated the module and waits for jobs. */
  READY: 2,
  /** 1 asks the helper to return. */
  STOP: 3,
  /** Index of the job's export in `names` (NO_OP: none). */
  KIND: 4,
  /** Number of arguments of each chunk. */
  ARGC: 5,
  /** 1 while the helper sleeps in `Atomics.wait` (it joins the next job only after a wake-up). */
  ASLEEP: 6,
  /** Number of chunks of the job. */
  CHUNKS: 7,
  /**
   * Chunks claimed: the caller's in the low 16 bits (from the front), the helper's in the high 16
   * (from the back). Each claim is one Atomics.add; it holds a chunk while the two counts, before
   * it, add up to fewer than CHUNKS.
   */
  NEXT: 8,
  /** SEQ while the job is open to the helper, −SEQ once the helper joined it, 0 once the caller closed it. */
  GATE: 9,
  /** Index of the argument that each thread sets to its own working space (−1: none). */
  OWN_ARG: 10,
  /** The chunk the helper is running (−1: none). */
  HELD: 11,
  /** Chunks the helper has run in all. */
  HELPED: 12
} as const
/** KIND of a job that does nothing: wakes the helper (it then spins for the next job again). */
export const NO_OP = -1
/** Byte offset of the helper's value of the OWN_ARG argument (float64). */
export const OWN_VALUE_OFFSET = 64
/** Byte offset of the chunk table: MAX_CHUNKS rows of MAX_ARGS float64 arguments. */
export const TABLE_OFFSET = 128
export const MAX_ARGS = 16
export const MAX_CHUNKS = 16
export const CONTROL_BYTES = TABLE_OFFSET + 8 * MAX_ARGS * MAX_CHUNKS

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
  const ownValue = new Float64Array(init.control, 64, 1)
  const table = new Float64Array(init.control, 128, 16 * 16)
  const args = new Float64Array(16)
  let seen = Atomics.load(control, 0)
  Atomics.store(control, 11, -1)
  Atomics.store(control, 2, 1)
  Atomics.notify(control, 2)
  for (;;) {
    let seq = Atomics.load(control, 0)
    if (seq === seen) {
      // The clock is read once every 1 024 turns: each reading allocates a number until V8 has
      // optimized this loop, and its garbage collections took the core the caller needs.
      const until = performance.now() + init.spinMs
      let turns = 0
      while ((seq = Atomics.load(control, 0)) === seen && ((++turns & 1023) !== 0 || performance.now() < until)) {
        // spin: the next job usually follows within microseconds
      }
      if (seq === seen) {
        Atomics.store(control, 6, 1)
        Atomics.wait(control, 0, seen)
        Atomics.store(control, 6, 0)
        continue
      }
    }
    if (Atomics.load(control, 3) === 1) return
    seen = seq
    // Join the job unless the caller has already claimed all of it and moved on.
    if (Atomics.compareExchange(control, 9, seq, -seq) !== seq) continue
    const kind = control[4]
    const argc = control[5]
    const chunks = control[7]
    const own = control[10]
    for (let claimed; kind >= 0 && ((claimed = Atomics.add(control, 8, 65536)) & 65535) + (claimed >>> 16) < chunks; ) {
      const chunk = chunks - 1 - (claimed >>> 16)
      Atomics.store(control, 11, chunk)
      for (let i = 0; i < argc; i++) args[i] = table[chunk * 16 + i]
      if (own >= 0) args[own] = ownValue[0]
      // Sixteen arguments, whatever the export takes: WebAssembly ignores the extra ones, and the
      // call needs no array made for it.
      calls[kind](args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8], args[9], args[10], args[11], args[12], args[13], args[14], args[15])
      Atomics.store(control, 11, -1)
      Atomics.add(control, 12, 1)
    }
    Atomics.store(control, 1, seq)
    Atomics.notify(control, 1)
  }
}

/**
 * A job's argument that each thread sets to working space of its own (mm_bc_f32's tiles, adam_f32's
 * tail): the chunks carry the caller's value, `theirs` is the helper's.
 */
export interface OwnArgument {
  index: number
  theirs: number
}

/**
 * [from, to) ranges that cover [0, units) in whole multiples of `unit` (the last range takes the
 * rest), about `target` of them and at most MAX_CHUNKS.
 */
export function chunkRanges(units: number, unit: number, target = TARGET_CHUNKS): [number, number][] {
  const blocks = Math.ceil(units / unit)
  const perChunk = Math.max(1, Math.ceil(blocks / Math.min(target, MAX_CHUNKS)))
  const ranges: [number, number][] = []
  for (let block = 0; block < blocks; block += perChunk) ranges.push([block * unit, Math.min(units, (block + perChunk) * unit)])
  return ranges
}

/** How long the caller waits for the helper's chunk before it gives up on the helper, in ms. */
const HELPER_TIMEOUT_MS = 5000
/**
 * How long the caller spins for the helper's last chunk before it sleeps, in ms: longer than one
 * chunk of the lesson's products (≈ 0.05 ms), since a sleep and wake-up costs ≈ 70 µs; not much
 * longer, since on a busy machine a spinning caller takes the very core the helper needs.
 */
const CALLER_SPIN_MS = 0.25
/**
 * Chunks per split job: enough that the threads end within a small chunk of each other however
 * their speeds differ, few enough that each chunk's call and claim stay negligible.
 */
const TARGET_CHUNKS = 8
/** Jobs of each kind (alone, split) in a trial of one job shape. */
const TRIAL_JOBS = 8
/**
 * Jobs of a shape run split before its first trial: the first jobs run cold (the helper's code not
 * yet optimized) and measured there, splitting lost its trial in most cold runs of the lesson that
 * it won once warm.
 */
const WARM_UP_JOBS = 32
/** The second trial follows the first after this many jobs, in case the first was still cold. */
const SECOND_TRIAL_AFTER = 64
/** Later trials follow every this many jobs. */
const TRIAL_EVERY = 512
/**
 * After a trial that splitting lost, the next one follows this many jobs later, twice as many after
 * each further loss (up to TRIAL_EVERY). In a fresh process a trial is often lost to V8's compiler
 * thread, which takes the helper's core while it optimizes the engine: in a cold two-thread lesson
 * run the first trial (steps 32–47) was lost and the lesson's steps 48–111 then ran alone at
 * 0.58–0.65 ms, where split ones took 0.35–0.45 (docs/performance.md). Where splitting truly loses,
 * each retry costs a few slower jobs.
 */
const RETRY_AFTER_LOSS = 16
/** Splitting pays when its median time is below this fraction of running alone. */
const SPLIT_GAIN = 0.95

/** One job shape's trial times (ms) and the last verdict (null: no trial finished yet). */
interface ShapeTrial {
  alone: number[]
  split: number[]
  splitPays: boolean | null
  /** Jobs until the next trial starts. */
  untilTrial: number
  trials: number
  /** Trials lost in a row (splitting not faster). */
  losses: number
}

const nothing = (): void => undefined

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]
}

/** The caller's side of one helper thread. */
export class KernelHelper {
  private readonly control: Int32Array
  private readonly ownValue: Float64Array
  private readonly table: Float64Array
  private readonly handle: KernelThreadHandle
  private seq = 0
  private broken = false
  /** Jobs offered to the helper (split jobs; for tests and the bench). */
  jobs = 0
  /**
   * Whether splitting pays is measured, not assumed, per job shape: two vCPUs may share one core's
   * units (on our 2-core VMs two threads each ran at ≈ 55 % of one thread's speed, no gain at all),
   * and on a machine busy with other work the helper gets no core of its own. `plan` splits a
   * shape's first WARM_UP_JOBS jobs, then runs a trial — TRIAL_JOBS alone and TRIAL_JOBS split,
   * alternating — and takes the way with the lower median (single times on a shared VM jump by 2 ×
   * with garbage collection and neighbours); trials again after SECOND_TRIAL_AFTER jobs, then every
   * TRIAL_EVERY, and sooner after a lost trial (RETRY_AFTER_LOSS jobs, doubling with each loss in a
   * row).
   */
  private readonly shapes = new Map<string, ShapeTrial>()
  /** False: split every big job however it pays (tests of the helper's numbers). */
  adaptive = true
  /** How long the caller spins for the helper's part before it sleeps, in ms. */
  callerSpinMs = CALLER_SPIN_MS
  /** Set by `plan`: the job is part of a trial. */
  private inTrial = false

  constructor(spawn: SpawnKernelThread, init: Omit<KernelThreadInit, 'control'>) {
    const control = new SharedArrayBuffer(CONTROL_BYTES)
    this.control = new Int32Array(control)
    this.ownValue = new Float64Array(control, OWN_VALUE_OFFSET, 1)
    this.table = new Float64Array(control, TABLE_OFFSET, MAX_ARGS * MAX_CHUNKS)
    this.handle = spawn({ ...init, control })
  }

  /** True once the helper waits for jobs (it starts asynchronously; until then callers run alone). */
  get ready(): boolean {
    return !this.broken && Atomics.load(this.control, CONTROL.READY) === 1
  }

  /** Whether to split the next job of shape `key` (then `record` its time). */
  plan(key: string): boolean {
    this.inTrial = false
    if (!this.ready) return false
    if (!this.adaptive) return true
    let trial = this.shapes.get(key)
    if (!trial) this.shapes.set(key, (trial = { alone: [], split: [], splitPays: null, untilTrial: WARM_UP_JOBS, trials: 0, losses: 0 }))
    if (trial.untilTrial > 0) {
      trial.untilTrial--
      return trial.splitPays ?? true
    }
    this.inTrial = true
    return trial.split.length < trial.alone.length
  }

  /** The time a job of shape `key` took, run alone or split as `plan` said. */
  record(key: string, split: boolean, ms: number): void {
    const trial = this.shapes.get(key)
    if (!trial || !this.inTrial) return
    ;(split ? trial.split : trial.alone).push(ms)
    if (trial.split.length < TRIAL_JOBS || trial.alone.length < TRIAL_JOBS) return
    trial.splitPays = median(trial.split) < SPLIT_GAIN * median(trial.alone)
    trial.alone = []
    trial.split = []
    trial.trials++
    trial.losses = trial.splitPays ? 0 : trial.losses + 1
    trial.untilTrial = trial.losses > 0
      ? Math.min(TRIAL_EVERY, RETRY_AFTER_LOSS << (trial.losses - 1))
      : trial.trials === 1 ? SECOND_TRIAL_AFTER : TRIAL_EVERY
  }

  /**
   * Runs `job(split)` for a job of shape `key`, split or whole as `plan` says, and records how long
   * it took (all of it: split jobs also pay the hand-off).
   */
  measured<T>(key: string, job: (split: boolean) => T): T {
    const splitting = this.plan(key)
    // The trial's jobs run alone let the helper fall asleep, and a split job that has to wake it
    // (≈ 70 µs) would measure slow: a trial's split is timed with the helper awake, as it is while
    // jobs are split one after another.
    if (splitting && this.inTrial && Atomics.load(this.control, CONTROL.ASLEEP) === 1) this.run(NO_OP, [], nothing)
    const start = performance.now()
    const result = job(splitting)
    this.record(key, splitting, performance.now() - start)
    return result
  }

  /** Whether splitting paid for shape `key` in its last trial (null before one finished; for the bench and tests). */
  splitPays(key: string): boolean | null {
    return this.shapes.get(key)?.splitPays ?? null
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

  /** Chunks the helper has run (for tests and the bench). */
  get helpedChunks(): number {
    return Atomics.load(this.control, CONTROL.HELPED)
  }

  /**
   * Runs the job `kind` in `chunks` (each chunk's arguments, at most MAX_CHUNKS of MAX_ARGS) on this
   * thread and on the helper, each claiming the next chunk until none is left; `call` runs one
   * chunk here. `own`: the argument each thread sets to its own working space. If the helper stops
   * answering in the middle of a chunk, it is given up and that chunk is run here.
   */
  run(kind: number, chunks: readonly number[][], call: (args: number[]) => void, own: OwnArgument | null = null): void {
    if (!this.ready) {
      for (const args of chunks) call(args)
      return
    }
    const c = this.control
    const argc = chunks.length ? chunks[0].length : 0
    chunks.forEach((args, i) => this.table.set(args, i * MAX_ARGS))
    this.ownValue[0] = own ? own.theirs : 0
    c[CONTROL.KIND] = kind
    c[CONTROL.ARGC] = argc
    c[CONTROL.CHUNKS] = chunks.length
    c[CONTROL.OWN_ARG] = own ? own.index : -1
    c[CONTROL.NEXT] = 0
    const seq = ++this.seq
    c[CONTROL.GATE] = seq
    Atomics.store(c, CONTROL.SEQ, seq)
    if (Atomics.load(c, CONTROL.ASLEEP) === 1) Atomics.notify(c, CONTROL.SEQ)
    for (let claimed; ((claimed = Atomics.add(c, CONTROL.NEXT, 1)) & 0xffff) + (claimed >>> 16) < chunks.length; ) call(chunks[claimed & 0xffff])
    if (kind !== NO_OP) this.jobs++
    // Close the job; if the helper joined it, wait for its last chunk.
    if (Atomics.compareExchange(c, CONTROL.GATE, seq, 0) === seq) return
    const start = performance.now()
    const spinUntil = start + this.callerSpinMs
    let turns = 0
    while (Atomics.load(c, CONTROL.DONE) !== seq && ((++turns & 1023) !== 0 || performance.now() < spinUntil)) {
      // spin (the clock read sparingly, as in the helper's loop): its last chunk is a small one
    }
    let done: number
    while ((done = Atomics.load(c, CONTROL.DONE)) !== seq) {
      const left = start + HELPER_TIMEOUT_MS - performance.now()
      if (left <= 0) {
        const held = Atomics.load(c, CONTROL.HELD)
        this.broken = true
        this.stop()
        if (held >= 0) call(chunks[held])
        return
      }
      Atomics.wait(c, CONTROL.DONE, done, left)
    }
  }

  stop(): void {
    Atomics.store(this.control, CONTROL.STOP, 1)
    Atomics.add(this.control, CONTROL.SEQ, 1)
    Atomics.notify(this.control, CONTROL.SEQ)
    this.handle.terminate()
  }
}
