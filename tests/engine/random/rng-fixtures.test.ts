/**
 * rng.json of real torch 1.13.1 and 2.13.0 (seeds 0, 1, 42), every entry bit for bit. Each entry
 * starts from a fresh manual_seed, as gen_fixtures.py does.
 */
import { describe, it, expect } from 'vitest'
import { Generator } from '../../../src-main/engine/random/generator'
import { normalFill, randnFill } from '../../../src-main/engine/random/normal'
import { randFill, uniformFill } from '../../../src-main/engine/random/uniform'
import { linearInit } from '../../../src-main/engine/random/init'
import { loadFixture, TORCH_VERSIONS } from '../../helpers/fixtures'
import { expectTensorEqual } from './expect-tensor'

const randn = (g: Generator, n: number): Float32Array => randnFill(g, new Float32Array(n))

for (const version of TORCH_VERSIONS) {
  const rng = loadFixture(version, 'rng')

  describe(`rng.json from torch ${version}`, () => {
    it('has the expected schema and seeds', () => {
      expect(rng.schema).toBe('torch-fixture/rng/v1')
      expect(Object.keys(rng.seeds).sort()).toEqual(['0', '1', '42'])
    })

    for (const seed of ['0', '1', '42']) {
      const d = rng.seeds[seed]
      const gen = (): Generator => new Generator(Number(seed))

      it(`seed ${seed}: randn(3) then randn(3) (second call starts from the cached normal)`, () => {
        const g = gen()
        expectTensorEqual(randn(g, 3), d['randn(3)_then_randn(3)'][0], 'first')
        expectTensorEqual(randn(g, 3), d['randn(3)_then_randn(3)'][1], 'second')
      })

      it(`seed ${seed}: randn(5,7) (tail redraw), randn(16), randn(17)`, () => {
        expectTensorEqual(randn(gen(), 35), d['randn(5,7)'], 'randn(5,7)')
        expectTensorEqual(randn(gen(), 16), d['randn(16)'], 'randn(16)')
        expectTensorEqual(randn(gen(), 17), d['randn(17)'], 'randn(17)')
      })

      it(`seed ${seed}: rand(10) and empty(10).uniform_(-0.5, 0.5)`, () => {
        expectTensorEqual(randFill(gen(), new Float32Array(10)), d['rand(10)'])
        expectTensorEqual(uniformFill(gen(), new Float32Array(10), -0.5, 0.5), d['empty(10).uniform_(-0.5,0.5)'])
      })

      it(`seed ${seed}: randn(3), randn(40), randn(3) (the cache survives normal_fill)`, () => {
        const g = gen()
        const [a, b, c] = d['randn(3)_randn(40)_randn(3)']
        expectTensorEqual(randn(g, 3), a, 'randn(3)')
        expectTensorEqual(normalFill(g, new Float32Array(40)), b, 'randn(40)')
        expectTensorEqual(randn(g, 3), c, 'randn(3) again')
      })

      it(`seed ${seed}: Linear(3,5)`, () => {
        const { weight, bias } = linearInit(gen(), 3, 5)
        expectTensorEqual(weight, d['Linear(3,5)'].weight, 'weight')
        expectTensorEqual(bias, d['Linear(3,5)'].bias, 'bias')
      })

      it(`seed ${seed}: randn(64,1000) and Linear(1000,100) (sha256)`, () => {
        expectTensorEqual(randn(gen(), 64000), d['randn(64,1000)'], 'randn(64,1000)')
        const { weight, bias } = linearInit(gen(), 1000, 100)
        expectTensorEqual(weight, d['Linear(1000,100)'].weight, 'weight')
        expectTensorEqual(bias, d['Linear(1000,100)'].bias, 'bias')
      })
    }
  })
}
