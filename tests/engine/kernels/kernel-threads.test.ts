import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chunkRanges, CONTROL, KernelHelper, MAX_CHUNKS, serveKernelThread, type SpawnKernelThread } from '../../../src-main/engine/kernels/kernel-threads'
import { useKernels } from '../../../src-main/engine/kernels/kernels'
import { typescriptKernels } from '../../../src-main/engine/kernels/typescript-kernels'
import { wasmKernels, type WasmKernels } from '../../../src-main/engine/kernels/wasm-kernels'
import { adamUpdate, type AdamScalars } from '../../../src-main/engine/optim/adam'
import type { Storage } from '../../../src-main/engine/tensor/dtype'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { LESSON_CONFIG } from '../../../src-main/shared/config'
import { HELPER_NICE, spawnNodeKernelThread } from '../../../src-main/host/node-kernel-thread'
import { filled, makeRandom } from './operands'

// Two threads must compute exactly what one computes: the helper takes whole rows (or a range of
// elements), each summed in the reference's order.

const bits = (a: Storage): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4)
/** Index of the first differing element (-1: the same bits), cheaper for expect than 100 000 elements. */
const firstDifference = (a: Storage, b: Storage): number => {
  const x = bits(a)
  const y = bits(b)
  if (x.length !== y.length) return 0
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i
  return -1
}

const single = wasmKernels()!
let threaded: WasmKernels

beforeAll(() => {
  threaded = wasmKernels({ threads: spawnNodeKernelThread })!
  // Split every big job, even when this busy machine makes it slower: these tests are about numbers.
  threaded.adaptiveThreads = false
  expect(threaded.waitForHelper(10_000)).toBe(true)
})

afterAll(() => {
  useKernels(typescriptKernels)
})

describe('kernel threads (a Node worker helper on shared memory)', () => {
  it('start a helper on the shared-memory build', () => {
    expect(threaded.threads).toBe(2)
    expect(threaded.variant).toBe(single.variant)
    expect(single.threads).toBe(1)
  })

  const shapes: [number, number, number][] = [
    [64, 1000, 100], // x·W1ᵀ
    [100, 64, 1000], // dW1 = gᵀ·x
    [37, 300, 61], // rows and columns off every tile
    [130, 129, 70]
  ]
  for (const float64 of [false, true]) {
    for (const [m, k, n] of shapes) {
      for (const [transA, transB] of [[false, true], [true, false], [false, false], [true, true]]) {
        it(`matmul ${float64 ? 'float64' : 'float32'} ${m}×${k}×${n} transA=${transA} transB=${transB}: same bits as one thread`, () => {
          const next = makeRandom(m * 7 + k * 3 + n + (transA ? 1 : 0) + (transB ? 2 : 0))
          const a = filled(m * k, float64, next)
          const b = filled(k * n, float64, next)
          const bias = filled(n, float64, next)
          const one = float64 ? new Float64Array(m * n) : new Float32Array(m * n)
          const two = one.slice()
          const jobs = threaded.helperJobs()
          single.matmul(a, b, one, m, k, n, transA, transB, bias)
          threaded.matmul(a, b, two, m, k, n, transA, transB, bias)
          expect(threaded.helperJobs()).toBe(jobs + 1)
          expect(firstDifference(two, one)).toBe(-1)
          const reference = one.slice()
          typescriptKernels.matmul(a, b, reference, m, k, n, transA, transB, bias)
          if (!float64) expect(firstDifference(two, reference)).toBe(-1)
        })
      }
    }
  }

  for (const float64 of [false, true]) {
    for (const amsgrad of [false, true]) {
      it(`adamUpdate ${float64 ? 'float64' : 'float32'} amsgrad=${amsgrad} over 100 003 elements: same bits as the TypeScript update`, () => {
        const length = 100_003
        const next = makeRandom(length + (amsgrad ? 1 : 0))
        const param = filled(length, float64, next)
        const zeros = (): Storage => (float64 ? new Float64Array(length) : new Float32Array(length))
        const reference = [param.slice(), zeros(), zeros(), amsgrad ? zeros() : null] as const
        const mine = [param.slice(), zeros(), zeros(), amsgrad ? zeros() : null] as const
        const jobs = threaded.helperJobs()
        for (let step = 1; step <= 3; step++) {
          const grad = filled(length, float64, next)
          const s: AdamScalars = {
            lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupledWeightDecay: amsgrad, maximize: false,
            stepSize: 1e-3 / (1 - 0.9 ** step), biasCorrection2Sqrt: Math.sqrt(1 - 0.999 ** step)
          }
          adamUpdate(reference[0], grad, reference[1], reference[2], reference[3], s)
          expect(threaded.adamUpdate(mine[0], grad, mine[1], mine[2], mine[3], s)).toBe(true)
          for (let i = 0; i < 4; i++) if (reference[i]) expect(firstDifference(mine[i]!, reference[i]!), `step ${step}, array ${i}`).toBe(-1)
        }
        expect(threaded.helperJobs()).toBe(jobs + 3)
      })
    }
  }

  it("trains the lesson's network to the same losses as one thread, bit for bit", () => {
    const config = { ...LESSON_CONFIG, hyper: { ...LESSON_CONFIG.hyper }, steps: 30 }
    const train = (backend: WasmKernels): number[] => {
      useKernels(backend)
      const session = new TrainingSession(config)
      return Array.from({ length: config.steps }, () => session.step())
    }
    const jobs = threaded.helperJobs()
    const chunks = threaded.helperChunks()
    const two = train(threaded)
    expect(threaded.helperJobs()).toBeGreaterThanOrEqual(jobs + 3 * config.steps)
    // The helper took part (it spins between the step's jobs): its chunks are in these losses.
    expect(threaded.helperChunks()).toBeGreaterThan(chunks)
    expect(two).toEqual(train(single))
  })
})

/** A KernelHelper whose helper never takes a job; `ready`: it reports ready at once (else never). */
function idleHelper(ready: boolean): KernelHelper {
  const spawn: SpawnKernelThread = (init) => {
    if (ready) new Int32Array(init.control)[CONTROL.READY] = 1
    return { terminate: () => undefined }
  }
  const module = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))
  return new KernelHelper(spawn, { module, memory: new WebAssembly.Memory({ initial: 1 }), names: [], spinMs: 0 })
}

describe('KernelHelper', () => {
  it('runs every job on the calling thread while its helper is not ready', () => {
    const helper = idleHelper(false)
    const ran: number[][] = []
    helper.run(0, [[1, 2], [3, 4]], (args) => ran.push(args))
    expect(ran).toEqual([[1, 2], [3, 4]])
    expect(helper.ready).toBe(false)
    expect(helper.waitUntilReady(1)).toBe(false)
  })

  it('runs every chunk here, without waiting, when the helper does not join (asleep, busy, or slow to wake)', () => {
    const helper = idleHelper(true)
    const ran: number[][] = []
    const start = performance.now()
    helper.run(0, [[1, 10], [2, 20], [3, 30]], (args) => ran.push(args), { index: 1, theirs: 99 })
    // The caller closed the job once it had claimed every chunk: no wait for the helper's answer (5 s).
    expect(performance.now() - start).toBeLessThan(1000)
    expect(ran).toEqual([[1, 10], [2, 20], [3, 30]])
    expect(helper.helpedChunks).toBe(0)
    expect(helper.jobs).toBe(1)
  })

  it('cuts a job into whole tiles, about eight chunks, the last taking the rest', () => {
    expect(chunkRanges(100, 8)).toEqual([[0, 16], [16, 32], [32, 48], [48, 64], [64, 80], [80, 96], [96, 100]])
    expect(chunkRanges(100_000, 16).length).toBe(8)
    expect(chunkRanges(12, 4)).toEqual([[0, 4], [4, 8], [8, 12]])
    expect(chunkRanges(1_000_000, 16, 64).length).toBe(16)
  })

  it('splits a job shape while warming up, then only where a trial measured splitting faster (medians), trying again later', () => {
    // plan/record only
    const helper = idleHelper(true)
    expect(helper.ready).toBe(true)
    // times(split, i): the i-th job's time in ms
    const run = (shape: string, jobs: number, times: (split: boolean, i: number) => number): boolean[] =>
      Array.from({ length: jobs }, (_, i) => {
        const split = helper.plan(shape)
        helper.record(shape, split, times(split, i))
        return split
      })
    const trial = Array.from({ length: 16 }, (_, i) => i % 2 === 1)
    // 32 warm-up jobs split, a trial, 64 jobs, a trial, 512 jobs, a trial.
    const jobs = 32 + 16 + 64 + 16 + 512 + 16
    const trials = [32, 32 + 16 + 64, 32 + 16 + 64 + 16 + 512]
    // Split at half the time, with one split job 10 × slower (a garbage collection): still split.
    const fast = run('fast', jobs, (split, i) => (split ? (i === 35 ? 5 : 0.5) : 1))
    expect(helper.splitPays('fast')).toBe(true)
    expect(fast.slice(0, 32).every((split) => split)).toBe(true)
    for (const at of trials) expect(fast.slice(at, at + 16)).toEqual(trial)
    expect(fast.filter((split) => !split).length).toBe(3 * 8)
    // Split 20 % slower: alone after the warm-up, except in trials, which come sooner after a loss
    // (16 jobs later, then 32, 64, ... up to 512).
    const slow = run('slow', jobs, (split) => (split ? 1.2 : 1))
    const slowTrials = [32, 32 + 16 + 16, 32 + 2 * 16 + 16 + 32, 32 + 3 * 16 + 16 + 32 + 64, 32 + 4 * 16 + 16 + 32 + 64 + 128, 32 + 5 * 16 + 16 + 32 + 64 + 128 + 256]
    for (const at of slowTrials) expect(slow.slice(at, at + 16)).toEqual(trial)
    expect(slow.filter((split) => split).length).toBe(32 + slowTrials.length * 8)
    expect(slow.slice(32 + 16, 32 + 16 + 16).some((split) => split)).toBe(false)
    expect(helper.splitPays('slow')).toBe(false)
    // A first trial lost (a cold start), then splitting pays: it is found 16 jobs later, not 64.
    const cold = run('cold start', 32 + 16 + 16 + 16 + 64, (split, i) => (split ? (i < 48 ? 1.5 : 0.5) : 1))
    expect(cold.slice(32 + 16, 32 + 16 + 16).some((split) => split)).toBe(false)
    expect(cold.slice(32 + 16 + 16, 32 + 16 + 16 + 16)).toEqual(trial)
    expect(cold.slice(32 + 16 + 16 + 16).every((split) => split)).toBe(true)
    expect(helper.splitPays('cold start')).toBe(true)
    // Less than 5 % faster does not pay for the hand-offs either.
    run('even', 32 + 16, (split) => (split ? 0.97 : 1))
    expect(helper.splitPays('even')).toBe(false)
    expect(helper.splitPays('never seen')).toBe(null)
    helper.adaptive = false
    expect(run('slow', 3, (split) => (split ? 1.2 : 1))).toEqual([true, true, true])
  })

  it('hands the caller the first chunks of a job and the helper the last, so each keeps the same part of every job in its cache', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true })
    const helper = new KernelHelper(spawnNodeKernelThread, { module: markModule(), memory, names: ['mark'], spinMs: 5 })
    expect(helper.waitUntilReady(10_000)).toBe(true)
    const marks = new Int32Array(memory.buffer, 0, MAX_CHUNKS)
    const chunks = Array.from({ length: MAX_CHUNKS }, (_, i) => [i])
    let helped = 0
    try {
      for (let job = 0; job < 40; job++) {
        marks.fill(0)
        const here: number[] = []
        helper.run(0, chunks, ([chunk]) => {
          here.push(chunk)
          // A slow chunk, so that the helper joins and takes some.
          for (const until = performance.now() + 0.2; performance.now() < until; );
        })
        const there = [...marks.keys()].filter((chunk) => marks[chunk] === 1)
        helped += there.length
        expect(here).toEqual(chunks.slice(0, here.length).map(([chunk]) => chunk))
        expect(there).toEqual(chunks.slice(here.length).map(([chunk]) => chunk))
      }
    } finally {
      helper.stop()
    }
    expect(helped).toBeGreaterThan(0)
  })

  // setpriority(2) takes a thread id only on Linux (CI's platform); elsewhere the spawner leaves priorities alone.
  it.runIf(process.platform === 'linux')('runs the helper thread at a lower priority (nice HELPER_NICE) and leaves the caller at its own', () => {
    // Each thread's nice value, by thread id: stat's fields after the command name (in parentheses)
    // start at field 3 (state); nice is field 19.
    const niceOfThreads = (): Map<string, number> =>
      new Map(
        readdirSync('/proc/self/task').map((tid) => {
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
          return [tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3])] as const
        })
      )
    const before = niceOfThreads()
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true })
    const helper = new KernelHelper(spawnNodeKernelThread, { module: markModule(), memory, names: ['mark'], spinMs: 5 })
    try {
      expect(helper.waitUntilReady(10_000)).toBe(true)
      const after = niceOfThreads()
      const started = [...after].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice)
      expect(started).toContain(HELPER_NICE)
      // The calling thread keeps its priority.
      const caller = readlinkSync('/proc/thread-self').split('/').pop()!
      expect(after.get(caller)).toBe(before.get(caller))
    } finally {
      helper.stop()
    }
  })

  it("serves jobs in a worker from serveKernelThread's own source (no engine files needed there)", () => {
    // The Node spawner evaluates this text in a worker: it must not depend on module scope.
    const source = serveKernelThread.toString()
    expect(source).not.toMatch(/\bimport\b|\brequire\(|__name|CONTROL\./)
  })
})

/**
 * A module of one export, mark(chunk), that stores 1 at memory[chunk] (Int32) of an imported shared
 * memory: the helper's trace of the chunks it ran. Written out by hand (12 bytes of code).
 */
function markModule(): WebAssembly.Module {
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // type 0: (i32) -> ()
    ...[0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00],
    // import env.memory: shared, 1 page
    ...[0x02, 0x10, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x03, 0x01, 0x01],
    // function 0 of type 0, exported as "mark"
    ...[0x03, 0x02, 0x01, 0x00],
    ...[0x07, 0x08, 0x01, 0x04, 0x6d, 0x61, 0x72, 0x6b, 0x00, 0x00],
    // (i32.store (i32.shl (local.get 0) (i32.const 2)) (i32.const 1))
    ...[0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x20, 0x00, 0x41, 0x02, 0x74, 0x41, 0x01, 0x36, 0x02, 0x00, 0x0b]
  ]
  return new WebAssembly.Module(new Uint8Array(bytes))
}
