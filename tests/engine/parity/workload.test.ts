import { describe, expect, it } from 'vitest'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { loadFixture } from '../../helpers/fixtures'
import { configFrom, expectCurveMatches, rel } from '../../helpers/parity'

interface WorkloadRun {
  optimizer: string
  kwargs: Record<string, unknown>
  loss: number[]
  final_loss: number
  param_groups: Record<string, unknown>[]
}

// The lesson's workload against real PyTorch 2.13 (MKL build): 500 steps per configuration.
for (const seed of [0, 1]) {
  const fixture = loadFixture<{ runs: Record<string, WorkloadRun> }>('2.13.0', `workload_seed${seed}`)
  describe(`workload seed ${seed}: loss curves match PyTorch 2.13`, () => {
    it.each(Object.entries(fixture.runs))('%s', (_name, run) => {
      const config = configFrom(
        { seed, n: 64, d_in: 1000, hidden: [100], d_out: 10 },
        run.optimizer,
        run.kwargs,
        'float32',
        run.loss.length
      )
      const session = new TrainingSession(config)
      const losses = Array.from({ length: config.steps }, () => session.step())
      expect(losses[0]).toBe(run.loss[0])
      expectCurveMatches(losses, run.loss, config.optimizer)
      expect(Math.abs(Math.log10(session.evaluateLoss() / run.final_loss))).toBeLessThan(0.5)
      // Every hyperparameter, defaults included, as PyTorch's state_dict()["param_groups"].
      expect(session.optimizer.stateDict().param_groups).toEqual(run.param_groups)
      expect(rel(losses[1], run.loss[1])).toBeLessThan(1e-6)
    })
  })
}
