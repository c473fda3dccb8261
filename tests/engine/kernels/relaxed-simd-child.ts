/**
 * Run by wasm-relaxed.test.ts in a child Node started with --experimental-wasm-relaxed-simd (Node
 * 20 keeps relaxed SIMD behind that flag; Electron 45 and Chromium enable it): checks the
 * relaxed-SIMD build against the TypeScript reference (or, for float32 products with fused
 * multiply-adds, against the model of that summation order) and prints one JSON line.
 */
import { adamUpdate, type AdamScalars } from '../../../src-main/engine/optim/adam'
import { fma32 } from '../../../src-main/engine/numeric/float32'
import { typescriptKernels } from '../../../src-main/engine/kernels/typescript-kernels'
import { wasmKernels, type WasmKernels } from '../../../src-main/engine/kernels/wasm-kernels'
import { spawnNodeKernelThread } from '../../../src-main/host/node-kernel-thread'
import { fusedSequentialMatmul } from './fused-products'

let seed = 12345
const next = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
  return seed / 2 ** 32
}
const wide = (): number => (next() < 0.02 ? 0 : (next() < 0.5 ? -1 : 1) * 2 ** (-12 * next()) * (1 + next()))
const fill = (n: number, f: () => number): Float32Array => Float32Array.from({ length: n }, f)
/** A copy of `data` in the kernels' own memory where they keep storages that long (else null). */
const residentCopy = (k: WasmKernels | null, data: Float32Array): Float32Array | null => {
  const copy = k?.residentStorages?.allocate('float32', data.length) as Float32Array | null
  copy?.set(data)
  return copy ?? null
}

const wasm = wasmKernels()
const result: Record<string, unknown> = { variant: wasm?.variant ?? null, fusedMadd: wasm?.fusedMadd ?? null }
if (wasm) {
  // fma32 through relaxed madd (when it is fused here) and through the emulation.
  const n = 40_000
  const a = fill(n, wide)
  const b = fill(n, wide)
  const c = fill(n, wide)
  for (const fused of [false, true]) {
    const out = wasm.fma32(a, b, c, fused)
    let mismatches = 0
    for (let i = 0; i < n; i++) if (out[i] !== fma32(a[i], b[i], c[i])) mismatches++
    result[fused ? 'fmaFusedMismatches' : 'fmaEmulatedMismatches'] = mismatches
  }
  // float32 products: with fused multiply-adds (one float32 running sum per output) where relaxed
  // madd is fused here, else the reference's blocked sums; bit for bit either way, on one thread and
  // split over two. Shapes: the lesson's, k over several passes of KC = 256, rows and columns off
  // every tile.
  const threaded = wasmKernels({ threads: spawnNodeKernelThread })
  if (threaded) threaded.adaptiveThreads = false
  result.threadedHelperReady = threaded?.waitForHelper(10_000) ?? false
  const shapes: [number, number, number][] = [[64, 1000, 100], [100, 64, 1000], [9, 513, 21], [37, 256, 61], [6, 257, 8], [130, 129, 70]]
  let productMismatches = 0
  let splitMismatches = 0
  let residentMismatches = 0
  let residentProducts = 0
  let products = 0
  for (const [m, k, n] of shapes) {
    for (const [transA, transB] of [[false, true], [true, false], [false, false], [true, true]]) {
      for (const withBias of [false, true]) {
        const a = fill(m * k, () => next() - 0.5)
        const b = fill(k * n, () => next() - 0.5)
        const bias = withBias ? fill(n, () => next() - 0.5) : undefined
        let expected: Float32Array
        if (wasm.fusedMadd) expected = fusedSequentialMatmul(a, b, m, k, n, transA, transB, bias)
        else typescriptKernels.matmul(a, b, (expected = new Float32Array(m * n)), m, k, n, transA, transB, bias)
        const actual = new Float32Array(m * n)
        wasm.matmul(a, b, actual, m, k, n, transA, transB, bias)
        const split = new Float32Array(m * n)
        threaded?.matmul(a, b, split, m, k, n, transA, transB, bias)
        for (let i = 0; i < m * n; i++) {
          if (!Object.is(actual[i], expected[i])) productMismatches++
          if (!Object.is(split[i], actual[i])) splitMismatches++
        }
        products++
        // The same with the big operands (and the output) resident in linear memory, used in place.
        for (const backend of [wasm, threaded]) {
          const ra = residentCopy(backend, a)
          const rb = residentCopy(backend, b)
          const rout = residentCopy(backend, new Float32Array(m * n))
          if (!backend || (!ra && !rb && !rout)) continue
          const out = rout ?? new Float32Array(m * n)
          backend.matmul(ra ?? a, rb ?? b, out, m, k, n, transA, transB, bias)
          for (let i = 0; i < m * n; i++) if (!Object.is(out[i], actual[i])) residentMismatches++
          residentProducts++
        }
      }
    }
  }
  result.products = products
  result.productMismatches = productMismatches
  result.splitMismatches = splitMismatches
  result.residentProducts = residentProducts
  result.residentMismatches = residentMismatches
  result.helperJobs = threaded?.helperJobs() ?? 0
  // Left operands with many zeros (a weight's gradient behind a ReLU): the fused product skips their
  // terms (mm_sparse_f32) and must still give the running sums of the model, bit for bit, on one
  // thread and two. Shapes: the lesson's dW1, groups of 16 rows and every strip of columns (28, 16,
  // 4, 1); a NaN in A spreads; an infinite or NaN b (0·∞ is NaN) takes the full sum.
  const sparseShapes: [number, number, number][] = [[100, 64, 1000], [37, 70, 61], [17, 33, 49], [130, 129, 70]]
  const sparseBefore = wasm.sparseProducts + (threaded?.sparseProducts ?? 0)
  let sparseCases = 0
  let sparseMismatches = 0
  for (const [m, k, n] of sparseShapes) {
    for (const zeros of [0.5, 0.95]) {
      for (const [transA, special] of [[true, 'none'], [false, 'none'], [true, 'nan-in-a'], [true, 'inf-in-b'], [true, 'nan-in-b']] as const) {
        const a = fill(m * k, () => (next() < zeros ? 0 : next() - 0.5))
        const b = fill(k * n, () => next() - 0.5)
        if (special === 'nan-in-a') a[(m * k) >> 1] = NaN
        if (special === 'inf-in-b') b[k * n - 1] = Infinity
        if (special === 'nan-in-b') b[0] = NaN
        const bias = fill(n, () => next() - 0.5)
        for (const withBias of [false, true]) {
          const expected = wasm.fusedMadd ? fusedSequentialMatmul(a, b, m, k, n, transA, false, withBias ? bias : undefined) : null
          for (const backend of [wasm, threaded]) {
            if (!backend || !expected) continue
            const out = new Float32Array(m * n)
            backend.matmul(a, b, out, m, k, n, transA, false, withBias ? bias : undefined)
            for (let i = 0; i < m * n; i++) if (!Object.is(out[i], expected[i])) sparseMismatches++
            sparseCases++
          }
        }
      }
    }
  }
  result.sparseCases = sparseCases
  result.sparseMismatches = sparseMismatches
  result.sparseProducts = wasm.sparseProducts + (threaded?.sparseProducts ?? 0) - sparseBefore
  // Adam, six steps, bit for bit.
  const len = 10_003
  const ours = [fill(len, wide), new Float32Array(len), new Float32Array(len), new Float32Array(len)]
  const ref = ours.map((v) => v.slice())
  let adamMismatches = 0
  for (let step = 1; step <= 6; step++) {
    const grad = fill(len, wide)
    const s: AdamScalars = {
      lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupledWeightDecay: step % 2 === 0, maximize: false,
      stepSize: 1e-3 / (1 - 0.9 ** step), biasCorrection2Sqrt: Math.sqrt(1 - 0.999 ** step)
    }
    adamUpdate(ref[0], grad, ref[1], ref[2], ref[3], s)
    if (!wasm.adamUpdate(ours[0], grad, ours[1], ours[2], ours[3], s)) adamMismatches = -1
    for (let k = 0; k < 4; k++) for (let i = 0; i < len; i++) if (!Object.is(ours[k][i], ref[k][i])) adamMismatches++
  }
  result.adamMismatches = adamMismatches
  // Adam on resident arrays, split over two threads: the same bits as the TypeScript loop.
  const big = 40_003
  const start = [fill(big, wide), new Float32Array(big), new Float32Array(big), new Float32Array(big)]
  const expected = start.map((v) => v.slice())
  const resident = start.map((v) => residentCopy(threaded, v))
  let residentAdamMismatches = resident.every((v) => v !== null) ? 0 : -1
  const jobs = threaded?.helperJobs() ?? 0
  for (let step = 1; step <= 3 && residentAdamMismatches >= 0; step++) {
    const grad = residentCopy(threaded, fill(big, wide))!
    const s: AdamScalars = {
      lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false,
      stepSize: 1e-3 / (1 - 0.9 ** step), biasCorrection2Sqrt: Math.sqrt(1 - 0.999 ** step)
    }
    adamUpdate(expected[0], grad, expected[1], expected[2], expected[3], s)
    const [p, m, v, vmax] = resident as Float32Array[]
    if (!threaded!.adamUpdate(p, grad, m, v, vmax, s)) residentAdamMismatches = -1
    for (let k = 0; k < 4; k++) for (let i = 0; i < big; i++) if (!Object.is(resident[k]![i], expected[k][i])) residentAdamMismatches++
  }
  result.residentAdamMismatches = residentAdamMismatches
  result.residentAdamSplit = (threaded?.helperJobs() ?? 0) - jobs
}
process.stdout.write(JSON.stringify(result) + '\n')
