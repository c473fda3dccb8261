import { afterAll, describe, expect, it } from 'vitest'
import { kernels, type Kernels } from '../../../src-main/engine/kernels/kernels'
import { KERNEL_CHOICES, resolveKernels, selectKernels } from '../../../src-main/engine/kernels/select'
import { typescriptKernels } from '../../../src-main/engine/kernels/typescript-kernels'
import { decodeBase64, wasmKernels } from '../../../src-main/engine/kernels/wasm-kernels'
import { SIMD128_WASM } from '../../../src-main/engine/kernels/generated/wasm-modules'
import { filled, makeRandom } from './operands'

const wasm = wasmKernels()

afterAll(() => {
  selectKernels('typescript')
})

describe('WebAssembly kernels', () => {
  it('load in this runtime (Node has WebAssembly SIMD)', () => {
    expect(wasm).not.toBeNull()
    expect(wasm!.name).toBe('wasm')
    expect(['simd128', 'relaxed-simd']).toContain(wasm!.variant)
  })

  it('decode the embedded module (base64) to a valid WebAssembly binary', () => {
    const bytes = decodeBase64(SIMD128_WASM)
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]) // "\0asm"
    expect(WebAssembly.validate(bytes)).toBe(true)
    const text = 'any carnal pleasure.'
    for (let cut = 0; cut <= text.length; cut++) {
      const sample = text.slice(0, cut)
      const encoded = btoa(sample)
      expect(new TextDecoder().decode(decodeBase64(encoded)), encoded).toBe(sample)
    }
  })

  const shapes: [number, number, number][] = [
    [64, 300, 40],
    [40, 64, 300],
    [64, 100, 10],
    [7, 13, 5],
    [1, 37, 9],
    [9, 3, 33],
    [33, 17, 1],
    [5, 200, 6],
    [6, 8, 8]
  ]
  for (const float64 of [false, true]) {
    const dtype = float64 ? 'float64' : 'float32'
    // float32: both sum the same blocks of 8 in float32, add them in double and round once: equal bit for bit.
    // float64: the dot-product kernel (transB only) sums in two lanes, a different order.
    const tolerance = 1e-13
    for (const [m, k, n] of shapes) {
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
        for (const withBias of [false, true]) {
          it(`matmul ${dtype} ${m}×${k}×${n} transA=${transA} transB=${transB} bias=${withBias} matches the reference`, () => {
            const next = makeRandom(m * 7919 + k * 104729 + n + (transA ? 1 : 0) + (transB ? 2 : 0))
            const a = filled(m * k, float64, next)
            const b = filled(k * n, float64, next)
            const bias = withBias ? filled(n, float64, next) : undefined
            const expected = float64 ? new Float64Array(m * n) : new Float32Array(m * n)
            const actual = expected.slice()
            typescriptKernels.matmul(a, b, expected, m, k, n, transA, transB, bias)
            wasm!.matmul(a, b, actual, m, k, n, transA, transB, bias)
            if (!float64) {
              expect(Array.from(actual)).toEqual(Array.from(expected))
              return
            }
            // Scale: the sum of |terms| bounds the rounding error of any summation order.
            for (let i = 0; i < m * n; i++) {
              expect(Math.abs(actual[i] - expected[i]) / Math.sqrt(k + 1), `out[${i}]`).toBeLessThan(tolerance)
            }
          })
        }
      }
    }

    if (!float64) {
      it('float32 products sum blocks of 8 terms in float32 and add the blocks in double', () => {
        // x = [1, 2⁻²⁴ × 16] against ones, 17 terms: summed in float32 from start to end every
        // 2⁻²⁴ is lost (1); in double the sum is 1 + 2⁻²⁰. In blocks of 8: [1 + 7 tiny] → 1,
        // [8 tiny] → 2⁻²¹, [1 tiny] → 2⁻²⁴; 1 + 2⁻²¹ + 2⁻²⁴ rounds (a tie, to even) to 1 + 2⁻²¹.
        const k = 17
        const x = new Float32Array(k).fill(2 ** -24)
        x[0] = 1
        const ones = new Float32Array(k * 5).fill(1)
        // 64 rows × 5 columns (≥ 2048 multiply-adds, so the wasm backend takes it; its 4-column
        // vector strip and its one-column scalar edge both run).
        const rows = 64
        const a = new Float32Array(rows * k)
        for (let r = 0; r < rows; r++) a.set(x, r * k)
        for (const backend of [typescriptKernels, wasm!]) {
          const wide = new Float32Array(rows * 5)
          backend.matmul(a, ones, wide, rows, k, 5, false, false)
          expect(wide[0], backend.name).toBe(1 + 2 ** -21)
          expect(new Set(wide).size, backend.name).toBe(1)
        }
      })
    }

    it(`sum and sumRows (${dtype}) accumulate in double like the reference`, () => {
      const next = makeRandom(float64 ? 2 : 1)
      for (const length of [1, 3, 4096, 4099, 100_003]) {
        const a = filled(length, float64, next)
        expect(Math.abs(wasm!.sum(a) - typescriptKernels.sum(a))).toBeLessThan(1e-12 * length)
      }
      for (const [rows, cols] of [[64, 100], [64, 101], [3, 5000], [6, 1000], [2000, 7]]) {
        const a = filled(rows * cols, float64, next)
        const expected = float64 ? new Float64Array(cols) : new Float32Array(cols)
        const actual = expected.slice()
        typescriptKernels.sumRows(a, expected, rows, cols)
        wasm!.sumRows(a, actual, rows, cols)
        expect(Array.from(actual)).toEqual(Array.from(expected)) // same order per column, in double
      }
    })
  }

  it("computes the lesson's products (x·W1ᵀ + b1 and dW1 = gᵀ·x) like the reference", () => {
    const next = makeRandom(11)
    const x = filled(64 * 1000, false, next)
    const w = filled(100 * 1000, false, next)
    const bias = filled(100, false, next)
    const g = filled(64 * 100, false, next)
    for (const [a, b, m, k, n, transA, transB, withBias] of [
      [x, w, 64, 1000, 100, false, true, true],
      [g, x, 100, 64, 1000, true, false, false]
    ] as const) {
      const expected = new Float32Array(m * n)
      const actual = new Float32Array(m * n)
      typescriptKernels.matmul(a, b, expected, m, k, n, transA, transB, withBias ? bias : undefined)
      wasm!.matmul(a, b, actual, m, k, n, transA, transB, withBias ? bias : undefined)
      expect(Array.from(actual)).toEqual(Array.from(expected)) // double accumulation, same order
    }
  })

  it('keeps working after its memory grows (views are refreshed)', () => {
    const next = makeRandom(3)
    const before = wasm!.memoryBytes()
    const m = 200
    const k = 1500
    const n = 200
    const a = filled(m * k, false, next)
    const b = filled(k * n, false, next)
    const expected = new Float32Array(m * n)
    const actual = new Float32Array(m * n)
    typescriptKernels.matmul(a, b, expected, m, k, n, false, true)
    wasm!.matmul(a, b, actual, m, k, n, false, true)
    expect(wasm!.memoryBytes()).toBeGreaterThan(before)
    for (let i = 0; i < m * n; i += 97) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(1e-4)
    // A small product after the growth still reads the new buffer.
    const small = new Float32Array(6 * 64)
    typescriptKernels.matmul(a, b, expected, 6, 64, 64, false, false)
    wasm!.matmul(a, b, small, 6, 64, 64, false, false)
    for (let i = 0; i < small.length; i++) expect(Math.abs(small[i] - expected[i])).toBeLessThan(1e-5)
  })

  it('propagates NaN and infinity like a BLAS product', () => {
    const a = new Float32Array(8 * 64).fill(1)
    const b = new Float32Array(64 * 8).fill(1)
    a[3] = NaN
    b[5] = Infinity
    const out = new Float32Array(64)
    wasm!.matmul(a, b, out, 8, 64, 8, false, false)
    expect(out[0]).toBeNaN()
    expect(out[8 + 5]).toBe(Infinity)
  })
})

describe('ReLU kernels', () => {
  // Every kind of float32: the special values, then random ones of both signs; an odd length, so
  // that the scalar tail runs too.
  const specials = [NaN, -NaN, 0, -0, Infinity, -Infinity, 1e-45, -1e-45, 3.5, -3.5]
  const n = 4099
  const next = makeRandom(77)
  const values = (): Float32Array => Float32Array.from({ length: n }, (_, i) => (i < specials.length ? specials[i] : next() - 0.5))

  it('relu: x < 0 ? 0 : x, bit for bit (NaN and −0 pass), as the TypeScript loop', () => {
    const x = values()
    const out = new Float32Array(n)
    expect(wasm!.relu(x, out)).toBe(true)
    for (let i = 0; i < n; i++) expect(Object.is(out[i], x[i] < 0 ? 0 : x[i]), `x = ${x[i]}`).toBe(true)
  })

  it('relu backward: out ≤ 0 ? 0 : g, bit for bit (NaN out passes g)', () => {
    const out = values()
    const g = values().reverse()
    const grad = new Float32Array(n).fill(9)
    expect(wasm!.reluBackward(out, g, grad)).toBe(true)
    for (let i = 0; i < n; i++) expect(Object.is(grad[i], out[i] <= 0 ? 0 : g[i]), `out = ${out[i]}, g = ${g[i]}`).toBe(true)
  })

  it('leave short and float64 tensors to the TypeScript loop', () => {
    expect(wasm!.relu(new Float32Array(8), new Float32Array(8))).toBe(false)
    expect(wasm!.relu(new Float64Array(n), new Float64Array(n))).toBe(false)
    expect(wasm!.reluBackward(new Float32Array(8), new Float32Array(8), new Float32Array(8))).toBe(false)
  })
})

describe('selectKernels', () => {
  it('offers typescript, wasm and auto', () => {
    expect([...KERNEL_CHOICES]).toEqual(['typescript', 'wasm', 'auto'])
  })

  it('activates the backend it returns', () => {
    const chosen: Kernels = selectKernels('wasm')
    expect(chosen.name).toBe('wasm')
    expect(kernels()).toBe(chosen)
    expect(selectKernels('typescript')).toBe(typescriptKernels)
    expect(kernels()).toBe(typescriptKernels)
    expect(selectKernels('auto').name).toBe('wasm') // Node has WebAssembly SIMD
    expect(resolveKernels('wasm', { relaxedSimd: false })).toMatchObject({ name: 'wasm', variant: 'simd128' })
  })
})
