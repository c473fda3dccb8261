import { describe, expect, it } from 'vitest'
import { float32Sha256 } from '../../../src-main/engine/numeric/sha256'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { loadFixture } from '../../helpers/fixtures'
import { configFrom, expectCurveMatches, rel } from '../../helpers/parity'

interface VariantRun {
  config: {
    seed: number
    n: number
    d_in: number
    hidden: number[]
    d_out: number
    activation: string
    reduction: string
    dtype: 'float32' | 'float64'
    optimizer: string
    kwargs: Record<string, unknown>
  }
  init: Record<string, { sha256: string }>
  losses: number[]
  final_loss: number
}

function sessionFor(run: VariantRun, dtype: 'float32' | 'float64'): TrainingSession {
  const c = run.config
  return new TrainingSession(configFrom(c, c.optimizer, c.kwargs, dtype, run.losses.length))
}

describe('architecture variants match PyTorch 2.13 (float32)', () => {
  const fixture = loadFixture<{ runs: Record<string, VariantRun> }>('2.13.0', 'variants')
  it.each(Object.entries(fixture.runs))('%s', (_name, run) => {
    const session = sessionFor(run, 'float32')
    // Initial data and weights bit for bit.
    expect(float32Sha256(session.x.data)).toBe(run.init.x.sha256)
    expect(float32Sha256(session.y.data)).toBe(run.init.y.sha256)
    for (const [name, p] of session.model.namedParameters()) {
      expect(float32Sha256(p.data), name).toBe(run.init[name].sha256)
    }
    const losses = Array.from({ length: run.losses.length }, () => session.step())
    expectCurveMatches(losses, run.losses, session.config.optimizer)
  })
})

describe('float64: drawn in float32, cast, then double throughout (within 1e-9)', () => {
  const variants = loadFixture<{ runs: Record<string, VariantRun> }>('2.13.0', 'variants_float64')
  const cases: [string, () => TrainingSession, number[]][] = Object.entries(variants.runs).map(([name, run]) => [
    name,
    () => sessionFor(run, 'float64'),
    run.losses
  ])
  for (const seed of [0, 5]) {
    const workload = loadFixture<{ runs: Record<string, { optimizer: string; kwargs: Record<string, unknown>; losses: number[] }> }>(
      '2.13.0',
      `float64_seed${seed}`
    )
    for (const [name, run] of Object.entries(workload.runs)) {
      cases.push([
        `workload seed ${seed} ${name}`,
        () =>
          new TrainingSession(
            configFrom({ seed, n: 64, d_in: 1000, hidden: [100], d_out: 10 }, run.optimizer, run.kwargs, 'float64', run.losses.length)
          ),
        run.losses
      ])
    }
  }
  it.each(cases)('%s', (_name, makeSession, expected) => {
    const session = makeSession()
    expect(session.x.dtype).toBe('float64')
    for (let t = 0; t < expected.length; t++) {
      const loss = session.step()
      expect(rel(loss, expected[t]), `loss[${t}]: ours ${loss}, torch ${expected[t]}`).toBeLessThanOrEqual(t === 0 ? 1e-12 : 1e-9)
    }
  })
})
