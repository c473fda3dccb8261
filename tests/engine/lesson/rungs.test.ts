import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  RUNGS, RUNG_DEFAULTS, createRung, largestDifference, maxDifference, rungSource, runRung, runRungs, type RungConfig, type RungIndex
} from '../../../src-main/engine/lesson/rungs'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { loadFixture } from '../../helpers/fixtures'
import { rel } from '../../helpers/parity'

/**
 * The five rungs (numpy → tensors → autograd → nn → optim) give the same curve. They all compute in
 * float32 and differ only in how operations are grouped, so the bound asserted is float32 rounding:
 * every pair of curves within 1e-6 relative at every one of 50 steps (observed: ~1e-7, one ulp).
 * Rung 5 is `TrainingSession` with SGD to the bit. And the Python shown beside each rung, run by
 * real numpy / PyTorch (scripts/torch/check_rungs.mjs → rungs.json), prints our curve.
 */

const LESSON_50: RungConfig = { ...RUNG_DEFAULTS, steps: 50 }
const SMALL: RungConfig = { seed: 7, n: 16, dIn: 20, hidden: 12, dOut: 3, lr: 2e-3, steps: 60 }

describe('the five rungs', () => {
  it.each([
    ['the lesson (lr 1e-6, 50 steps)', LESSON_50],
    ['a small net with a larger lr', SMALL]
  ])('agree within float32 rounding on %s', (_name, config) => {
    const curves = runRungs(config)
    expect(curves.map((c) => c.info.index)).toEqual([1, 2, 3, 4, 5])
    const worst = largestDifference(curves)
    expect(worst.relative, JSON.stringify(worst)).toBeLessThanOrEqual(1e-6)
    // and they really train: the loss falls
    for (const c of curves) expect(c.losses[config.steps - 1]).toBeLessThan(0.99 * c.losses[0])
  })

  it('rung 5 is TrainingSession with SGD, bit for bit', () => {
    const rung = runRung(5, LESSON_50)
    const session = new TrainingSession({
      seed: 0, n: 64, dIn: 1000, hidden: [100], dOut: 10, activation: 'relu', reduction: 'sum', dtype: 'float32',
      optimizer: 'SGD', hyper: { lr: 1e-6 }, steps: 50
    })
    expect(rung).toEqual(Array.from({ length: 50 }, () => session.step()))
  })

  it('each rung starts from the lesson\'s first loss (same x, y and weights)', () => {
    const first = loadFixture('2.13.0', 'workload_seed0').runs.sgd.loss[0]
    for (const { index } of RUNGS) expect(createRung(index, { ...RUNG_DEFAULTS, steps: 1 }).step()).toBe(first)
  })
})

describe('the code shown beside each rung', () => {
  const fixture = loadFixture<{ configs: Record<string, { config: RungConfig; rungs: Record<string, { source_sha256: string; losses: number[] }> }> }>(
    '2.13.0',
    'rungs'
  )
  const cases = Object.entries(fixture.configs).flatMap(([name, { config, rungs }]) =>
    Object.entries(rungs).map(([index, run]) => [`${name} rung ${index}`, config, Number(index) as RungIndex, run] as const)
  )

  it.each(cases)('%s: real numpy / PyTorch running it print our curve', (_name, config, index, run) => {
    expect(createHash('sha256').update(rungSource(index, config)).digest('hex')).toBe(run.source_sha256)
    const ours = runRung(index, config)
    expect(ours).toHaveLength(run.losses.length)
    ours.forEach((loss, t) => expect(rel(loss, run.losses[t]), `loss[${t}]`).toBeLessThanOrEqual(1e-6))
  })

  it('reads like the tutorial, with the configuration filled in', () => {
    const c: RungConfig = { seed: 3, n: 8, dIn: 5, hidden: 4, dOut: 2, lr: 1e-4, steps: 20 }
    const sources = RUNGS.map(({ index }) => rungSource(index, c))
    for (const s of sources) {
      expect(s).toContain('N, D_in, H, D_out = 8, 5, 4, 2')
      expect(s).toContain('learning_rate = 0.0001')
      expect(s).toContain('torch.manual_seed(3)')
      expect(s).toContain('for t in range(20):')
    }
    expect(sources[0]).toContain('grad_w1 = x.T.dot(grad_h)')
    expect(sources[1]).toContain('h_relu = h.clamp(min=0)')
    expect(sources[2]).toContain('loss.backward()')
    expect(sources[2]).toContain('w1.grad.zero_()')
    expect(sources[3]).toContain('param -= learning_rate * param.grad')
    expect(sources[4]).toContain('optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)')
    expect(sources[4]).toContain('optimizer.step()')
  })
})

describe('maxDifference / largestDifference', () => {
  it('report the step, absolute and relative difference', () => {
    expect(maxDifference([1, 2, 4], [1, 2.5, 4.4])).toEqual({ step: 1, absolute: 0.5, relative: 0.2 })
    expect(maxDifference([1, 2], [1, 2])).toEqual({ step: 0, absolute: 0, relative: 0 })
    const curves = [
      { info: RUNGS[0], losses: [1, 2] },
      { info: RUNGS[1], losses: [1, 2] },
      { info: RUNGS[2], losses: [1, 2.2] }
    ]
    expect(largestDifference(curves)).toMatchObject({ step: 1, between: [1, 3] })
    expect(largestDifference(curves).relative).toBeCloseTo(0.2 / 2.2, 12)
  })
})
