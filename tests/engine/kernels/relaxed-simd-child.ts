/**
 * Run by wasm-relaxed.test.ts in a child Node started with --experimental-wasm-relaxed-simd (Node
 * 20 keeps relaxed SIMD behind that flag; Electron 45 and Chromium enable it): checks the
 * relaxed-SIMD build against the TypeScript reference and prints one JSON line.
 */
import { adamUpdate, type AdamScalars } from '../../../src-main/engine/optim/adam'
import { fma32 } from '../../../src-main/engine/numeric/float32'
import { typescriptKernels } from '../../../src-main/engine/kernels/typescript-kernels'
import { wasmKernels } from '../../../src-main/engine/kernels/wasm-kernels'

let seed = 12345
const next = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
  return seed / 2 ** 32
}
const wide = (): number => (next() < 0.02 ? 0 : (next() < 0.5 ? -1 : 1) * 2 ** (-12 * next()) * (1 + next()))
const fill = (n: number, f: () => number): Float32Array => Float32Array.from({ length: n }, f)

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
  // The lesson's first-layer product, accumulated with fused multiply-adds.
  const x = fill(64 * 1000, () => next() - 0.5)
  const w = fill(100 * 1000, () => next() - 0.5)
  const expected = new Float32Array(6400)
  const actual = new Float32Array(6400)
  typescriptKernels.matmul(x, w, expected, 64, 1000, 100, false, true)
  wasm.matmul(x, w, actual, 64, 1000, 100, false, true)
  result.matmulWorstError = Math.max(...Array.from(actual, (v, i) => Math.abs(v - expected[i])))
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
}
process.stdout.write(JSON.stringify(result) + '\n')
