/**
 * The generated PyTorch script for 2-D datasets and CSV data: real PyTorch 2.13 ran each script
 * (scripts/torch/check_data_scripts.mjs → tests/fixtures/torch-2.13.0/data_scripts.json); here the
 * same script is generated again (same sha256) and the engine, trained on the same configuration,
 * prints PyTorch's curve within the lesson's tolerances (float64: 1e-9).
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { LabConfig } from '../../src-main/shared/config'
import { pytorchScript } from '../../src-main/shared/pytorch-script'
import { validateConfig } from '../../src-main/shared/validate'
import { TrainingSession } from '../../src-main/engine/train/session'
import { loadFixture } from '../helpers/fixtures'
import { expectCurveMatches, rel } from '../helpers/parity'

const { runs } = loadFixture<{ runs: Record<string, { config: LabConfig; script_sha256: string; losses: number[] }> }>('2.13.0', 'data_scripts')

describe.each(Object.entries(runs))('%s', (_name, run) => {
  it('is the script PyTorch ran', () => {
    expect(createHash('sha256').update(pytorchScript(run.config)).digest('hex')).toBe(run.script_sha256)
  })

  it('prints, in PyTorch, the engine’s curve', () => {
    const session = new TrainingSession(validateConfig(run.config))
    const ours = run.losses.map(() => session.step())
    if (run.config.dtype === 'float64') ours.forEach((loss, t) => expect(rel(loss, run.losses[t]), `loss[${t}]`).toBeLessThanOrEqual(1e-9))
    else expectCurveMatches(ours, run.losses, run.config.optimizer)
  })
})

it('keeps class indices integer under float64, and names the loss the data needs', () => {
  const script = pytorchScript(runs.circles_sgd_float64.config)
  expect(script).toContain('x, model = x.double(), model.double()')
  expect(script).toContain('loss_fn = torch.nn.CrossEntropyLoss(reduction="mean")')
  expect(pytorchScript(runs.csv_regression.config)).toContain('loss_fn = torch.nn.MSELoss(reduction="mean")')
})
