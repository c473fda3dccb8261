import { describe, expect, it } from 'vitest'
import { adamUpdate, type AdamScalars } from '../../../src-main/engine/optim/adam'
import { fma32 } from '../../../src-main/engine/numeric/float32'
import { wasmKernels } from '../../../src-main/engine/kernels/wasm-kernels'
import type { Storage } from '../../../src-main/engine/tensor/dtype'

// The WebAssembly optimizer kernels must reproduce the TypeScript updates bit for bit.

const wasm = wasmKernels()!

function makeRandom(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Values over many binades, signs and a few zeros: what gradients and weights look like. */
function values(length: number, float64: boolean, next: () => number): Storage {
  const a = float64 ? new Float64Array(length) : new Float32Array(length)
  for (let i = 0; i < length; i++) {
    const r = next()
    a[i] = r < 0.02 ? 0 : (next() < 0.5 ? -1 : 1) * 2 ** (-12 * next()) * (1 + next())
  }
  return a
}

const bits = (a: Storage): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4))

describe('fma32 emulation in WebAssembly', () => {
  it('matches fma32 on random float32 operands', () => {
    const next = makeRandom(1)
    const n = 20_000
    const a = values(n, false, next) as Float32Array
    const b = values(n, false, next) as Float32Array
    const c = values(n, false, next) as Float32Array
    const out = wasm.fma32(a, b, c)
    for (let i = 0; i < n; i++) expect(out[i], `fma(${a[i]}, ${b[i]}, ${c[i]})`).toBe(fma32(a[i], b[i], c[i]))
  })

  it('corrects the double rounding on a float32 midpoint, both ways', () => {
    const u = 2 ** -24
    // a·b + c lands within 2^-70 of a float32 midpoint: ties-to-even on the double would round
    // away from the exact result.
    const a = new Float32Array([1 + 2 * u, 1 + 2 * u, -(1 + 2 * u), 1 + 2 * u, 3, 1e-3])
    const b = new Float32Array([u * (1 - 2 * u), -u * (1 - 2 * u), u * (1 - 2 * u), u * (1 - 2 * u), 1, 1e-3])
    const c = new Float32Array([1 + 2 * u, 1 + 6 * u, 1 + 6 * u, -(1 + 2 * u), 0.5, 1])
    const out = wasm.fma32(a, b, c)
    const expected = Array.from(a, (_, i) => fma32(a[i], b[i], c[i]))
    expect(Array.from(out)).toEqual(expected)
    expect(out[0]).toBe(Math.fround(1 + 2 * u)) // not 1 + 4u, where plain double rounding lands
    expect(out[1]).toBe(Math.fround(1 + 6 * u)) // not 1 + 4u
  })
})

describe('adamUpdate in WebAssembly matches optim/adam.ts bit for bit', () => {
  const cases: [string, Partial<AdamScalars>, boolean][] = [
    ['defaults', {}, false],
    ['amsgrad', {}, true],
    ['maximize', { maximize: true }, false],
    ['weight decay (Adam)', { weightDecay: 0.01 }, false],
    ['decoupled weight decay (AdamW)', { weightDecay: 0.01, decoupledWeightDecay: true }, true],
    ['beta1 0.3 (the other lerp branch)', { beta1: 0.3 }, false],
    ['large lr', { lr: 0.5, eps: 1e-3 }, false]
  ]
  for (const float64 of [false, true]) {
    // Short tensors too (a bias of one element, of ten): the kernels take every update.
    for (const length of [1, 10, 100, 1001, 4096 + 3]) {
      for (const [name, overrides, amsgrad] of cases) {
        it(`${float64 ? 'float64' : 'float32'} ${length} elements: ${name}`, () => {
          const next = makeRandom(length + name.length)
          const param = values(length, float64, next)
          const state = [param.slice(), values(length, float64, () => 0), values(length, float64, () => 0), amsgrad ? values(length, float64, () => 0) : null]
          const mine = [param.slice(), state[1]!.slice(), state[2]!.slice(), amsgrad ? state[3]!.slice() : null]
          for (let step = 1; step <= 6; step++) {
            const grad = values(length, float64, next)
            const beta1 = overrides.beta1 ?? 0.9
            const beta2 = 0.999
            const lr = overrides.lr ?? 1e-3
            const s: AdamScalars = {
              lr, beta1, beta2, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false,
              stepSize: lr / (1 - beta1 ** step), biasCorrection2Sqrt: Math.sqrt(1 - beta2 ** step), ...overrides
            }
            adamUpdate(state[0]!, grad, state[1]!, state[2]!, state[3], s)
            expect(wasm.adamUpdate(mine[0]!, grad, mine[1]!, mine[2]!, mine[3], s)).toBe(true)
            for (let k = 0; k < 4; k++) {
              if (state[k]) expect(bits(mine[k]!), `step ${step}, array ${k}`).toEqual(bits(state[k]!))
            }
          }
        })
      }
    }
  }
})
