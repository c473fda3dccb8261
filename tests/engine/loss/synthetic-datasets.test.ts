/** moons / circles / spiral drawn by our generator equal PyTorch's replay of the same definition, bit for bit. */
import { describe, expect, it } from 'vitest'
import { syntheticDataset, type SyntheticSpec } from '../../../src-main/engine/data/synthetic'
import { Generator } from '../../../src-main/engine/random/generator'
import { loadFixture } from '../../helpers/fixtures'

const { datasets } = loadFixture<{ datasets: { spec: SyntheticSpec & { seed: number }; x: number[]; labels: number[] }[] }>(
  '2.13.0',
  'classification'
)

describe.each(datasets)('$spec.kind n=$spec.n noise=$spec.noise seed=$spec.seed', ({ spec, x, labels }) => {
  it('has PyTorch’s points and labels exactly', () => {
    const generator = new Generator()
    generator.manualSeed(spec.seed)
    const data = syntheticDataset(generator, spec)
    expect(data.x.shape).toEqual([spec.n, 2])
    expect(data.labels).toEqual(labels)
    const mismatches = [...data.x.data].flatMap((v, i) => (Object.is(v, Math.fround(x[i])) ? [] : [`${i}: ${v} vs ${x[i]}`]))
    expect(mismatches).toEqual([])
  })
})

it('the same seed draws the same set; another seed another', () => {
  const draw = (seed: number) => {
    const g = new Generator()
    g.manualSeed(seed)
    return [...syntheticDataset(g, { kind: 'moons', n: 50, noise: 0.1 }).x.data]
  }
  expect(draw(3)).toEqual(draw(3))
  expect(draw(3)).not.toEqual(draw(4))
})
