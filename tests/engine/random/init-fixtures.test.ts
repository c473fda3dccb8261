/**
 * The `init` blocks of the workload fixtures: manual_seed(S); x = randn(N, D_in); y = randn(N, D_out);
 * Sequential(Linear(D_in, H), ReLU(), Linear(H, D_out)), all from one generator, in that order.
 */
import { describe, it, expect } from 'vitest'
import { Generator } from '../../../src-main/engine/random/generator'
import { randnFill } from '../../../src-main/engine/random/normal'
import { linearInit } from '../../../src-main/engine/random/init'
import { loadFixture, TORCH_VERSIONS } from '../../helpers/fixtures'
import { expectTensorEqual } from './expect-tensor'

interface Config {
  seed: number
  N: number
  D_in: number
  H: number
  D_out: number
}

function buildInit(c: Config): Record<string, Float32Array> {
  const g = new Generator(c.seed)
  const x = randnFill(g, new Float32Array(c.N * c.D_in))
  const y = randnFill(g, new Float32Array(c.N * c.D_out))
  const l0 = linearInit(g, c.D_in, c.H)
  const l2 = linearInit(g, c.H, c.D_out)
  return { x, y, '0.weight': l0.weight, '0.bias': l0.bias, '2.weight': l2.weight, '2.bias': l2.bias }
}

const KEYS = ['x', 'y', '0.weight', '0.bias', '2.weight', '2.bias']

for (const version of TORCH_VERSIONS) {
  describe(`workload init from torch ${version}`, () => {
    for (const file of ['workload_seed0', 'workload_seed1']) {
      it(`${file}: x, y, both Linear layers (sha256)`, () => {
        const fx = loadFixture(version, file)
        expect(fx.config).toMatchObject({ N: 64, D_in: 1000, H: 100, D_out: 10 })
        const got = buildInit(fx.config)
        expect(Object.keys(fx.init).sort()).toEqual([...KEYS].sort())
        for (const k of KEYS) {
          expect(fx.init[k].shape.reduce((a: number, b: number) => a * b, 1), k).toBe(got[k].length)
          expectTensorEqual(got[k], fx.init[k], `${file} ${k}`)
        }
      })
    }

    it('small_seed7: N=4, D_in=3, H=5, D_out=2, full tensors', () => {
      const fx = loadFixture(version, 'small_seed7')
      expect(fx.config).toMatchObject({ seed: 7, N: 4, D_in: 3, H: 5, D_out: 2 })
      const got = buildInit(fx.config)
      for (const k of KEYS) {
        expect(Array.isArray(fx.init[k]), `${k} is stored in full`).toBe(true)
        expectTensorEqual(got[k], fx.init[k], `small ${k}`)
      }
    })
  })
}

describe('speed', () => {
  it('draws randn(64,1000), randn(64,10), Linear(1000,100), Linear(100,10) quickly', () => {
    const c = { seed: 0, N: 64, D_in: 1000, H: 100, D_out: 10 }
    buildInit(c) // warm-up
    const times: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      buildInit(c)
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    // The target is well under 100 ms; the bound only catches gross regressions, so a busy machine cannot make it flaky.
    expect(times[2]).toBeLessThan(1000)
  })
})
