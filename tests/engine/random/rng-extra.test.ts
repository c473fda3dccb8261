/**
 * rng_extra.json: recipes replayed against real torch 2.13.0 output (scripts/torch/gen_rng_extra.py):
 * randn of sizes 1..40 and odd shapes, seeds 3 and 123, mean/std, the double-normal cache across
 * calls, uniform_ bounds, Linear of odd and empty sizes, and seed edge cases.
 */
import { describe, it, expect } from 'vitest'
import { Generator } from '../../../src-main/engine/random/generator'
import { normalFill } from '../../../src-main/engine/random/normal'
import { randFill, uniformFill } from '../../../src-main/engine/random/uniform'
import { linearInit, kaimingUniformBound, linearBiasBound } from '../../../src-main/engine/random/init'
import { loadFixture, type Summary } from '../../helpers/fixtures'
import { expectTensorEqual } from './expect-tensor'

type Tensor = { shape: number[]; data: number[] } | Summary
type Op =
  | ['randn' | 'rand', number[]]
  | ['uniform' | 'normal', number[], number, number]
  | ['linear', number, number]
interface Entry {
  name: string
  seed: string
  initial_seed: string
  ops: Op[]
  results: (Tensor | { weight: Tensor; bias: Tensor })[]
}

const numel = (shape: number[]): number => shape.reduce((a, b) => a * b, 1)

function check(got: Float32Array, want: Tensor, label: string): void {
  expect(got.length, `${label} numel`).toBe(numel(want.shape))
  expectTensorEqual(got, 'data' in want ? want.data : want, label)
}

function replay(e: Pick<Entry, 'initial_seed' | 'ops' | 'results'>, g: Generator): void {
  expect(g.initialSeed().toString(), 'initial_seed').toBe(e.initial_seed)
  e.ops.forEach((op, i) => {
    const label = `op ${i} ${JSON.stringify(op)}`
    const want = e.results[i]
    switch (op[0]) {
      case 'randn':
        check(normalFill(g, new Float32Array(numel(op[1]))), want as Tensor, label)
        break
      case 'rand':
        check(randFill(g, new Float32Array(numel(op[1]))), want as Tensor, label)
        break
      case 'uniform':
        check(uniformFill(g, new Float32Array(numel(op[1])), op[2], op[3]), want as Tensor, label)
        break
      case 'normal':
        check(normalFill(g, new Float32Array(numel(op[1])), op[2], op[3]), want as Tensor, label)
        break
      case 'linear': {
        const { weight, bias } = linearInit(g, op[1], op[2])
        const w = want as { weight: Tensor; bias: Tensor }
        check(weight, w.weight, `${label} weight`)
        check(bias, w.bias, `${label} bias`)
        break
      }
      default:
        throw new Error(`unknown op ${JSON.stringify(op)}`)
    }
  })
}

interface Bounds {
  in_features: number
  weight: [number, number]
  bias: [number, number]
}

const fx = loadFixture<{
  schema: string
  meta: { torch_version: string }
  entries: Entry[]
  uniform_bounds: Bounds[]
  fresh_generator: Pick<Entry, 'initial_seed' | 'ops' | 'results'>
}>(
  '2.13.0',
  'rng_extra'
)

describe('rng_extra.json from real torch 2.13.0', () => {
  it('is what gen_rng_extra.py writes', () => {
    expect(fx.schema).toBe('optim-lab/rng-extra/v1')
    expect(fx.meta.torch_version).toMatch(/^2\.13\.0/)
    expect(fx.entries.length).toBeGreaterThan(150)
  })

  it('Linear bounds are the exact doubles torch passes to uniform_ (last bit included)', () => {
    expect(fx.uniform_bounds.length).toBeGreaterThan(10)
    for (const b of fx.uniform_bounds) {
      const n = b.in_features
      expect([-kaimingUniformBound(n), kaimingUniformBound(n)], `weight, in_features=${n}`).toEqual(b.weight)
      expect([-linearBiasBound(n), linearBiasBound(n)], `bias, in_features=${n}`).toEqual(b.bias)
    }
  })

  it('a new Generator() is a new torch.Generator(): same default seed, same stream', () => {
    replay(fx.fresh_generator, new Generator())
  })

  for (const e of fx.entries) {
    it(`seed ${e.seed}: ${e.name}`, () => replay(e, new Generator(BigInt(e.seed))))
  }
})
