import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseLabArgs } from '../../../src-main/cli/args'
import { TrainingSession } from '../../../src-main/engine/train/session'
import type { LabConfig } from '../../../src-main/shared/config'
import { pytorchScript } from '../../../src-main/shared/pytorch-script'
import { loadFixture } from '../../helpers/fixtures'
import { rel } from '../../helpers/parity'

/**
 * The scripts `lab --emit-pytorch` writes, as run by real PyTorch 2.13
 * (scripts/torch/check_emitted_scripts.mjs → emitted_scripts.json): replaying each configuration
 * through the engine must print PyTorch's losses. float32 within 1e-4 relative over the first 30
 * steps; float64 within 1e-9 over every step. A float32 run is *chaotic* when PyTorch's own curve
 * moves by more than 1e-4 under a one-ulp nudge of its initial state (`self_envelope`, measured
 * by the script with PyTorch); no float32 implementation that sums in another order can promise
 * 1e-4 there, so it is held to 1e-2, a bound that still catches a wrong formula.
 *
 * The script text must be the one PyTorch ran (its sha256): change pytorch-script.ts and this
 * fails until the check is re-run with real PyTorch.
 */

interface EmittedRun {
  argv: string[]
  config: LabConfig
  script_sha256: string
  self_envelope?: number
  losses: number[]
}
interface ResumeRun {
  argv: string[]
  resumed_from: number
  final_loss: number
  resumed_losses: number[]
}

const fixture = loadFixture<{ runs: Record<string, EmittedRun>; resume: Record<string, ResumeRun> }>('2.13.0', 'emitted_scripts')

describe('emitted PyTorch scripts: real PyTorch prints the app\'s losses', () => {
  it.each(Object.entries(fixture.runs))('%s', (_name, run) => {
    const { config } = parseLabArgs(run.argv)
    expect(config).toEqual(run.config)
    expect(createHash('sha256').update(pytorchScript(config)).digest('hex')).toBe(run.script_sha256)
    const session = new TrainingSession(config)
    const losses = Array.from({ length: config.steps }, () => session.step())
    expect(losses).toHaveLength(run.losses.length)
    const chaotic = (run.self_envelope ?? 0) > 1e-4
    const horizon = config.dtype === 'float64' ? losses.length : 30
    const limit = config.dtype === 'float64' ? 1e-9 : chaotic ? 1e-2 : 1e-4
    for (let t = 0; t < horizon; t++) {
      expect(rel(losses[t], run.losses[t]), `loss[${t}]: ours ${losses[t]}, torch ${run.losses[t]}`).toBeLessThanOrEqual(limit)
    }
    for (let t = horizon; t < losses.length; t++) {
      expect(Math.abs(Math.log10(losses[t] / run.losses[t])), `trend at ${t}`).toBeLessThan(0.5)
    }
  })

  it('covers the issue\'s configurations', () => {
    const configs = Object.values(fixture.runs).map((r) => r.config)
    const has = (p: (c: LabConfig) => boolean): boolean => configs.some(p)
    expect(has((c) => c.hidden.length >= 3 && c.activation === 'tanh' && c.reduction === 'mean' && c.optimizer === 'RMSprop' &&
      (c.hyper.momentum ?? 0) > 0 && c.scheduler?.kind === 'StepLR' && c.dtype === 'float32')).toBe(true)
    expect(has((c) => c.optimizer === 'AdamW' && c.hyper.betas !== undefined)).toBe(true)
    expect(has((c) => c.dtype === 'float64' && c.optimizer === 'SGD' && c.hyper.nesterov === true && c.scheduler?.kind === 'CosineAnnealingLR')).toBe(true)
    // every scheduler and both group modes
    for (const kind of ['StepLR', 'MultiStepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearLR', 'OneCycleLR', 'ReduceLROnPlateau']) {
      expect(has((c) => c.scheduler?.kind === kind), kind).toBe(true)
    }
    expect(has((c) => c.paramGroups === 'per-layer' && (c.groupHyper?.length ?? 0) > 0)).toBe(true)
  })
})

describe('the weights snippet: PyTorch loads an exported file and resumes the optimizer', () => {
  it.each(Object.entries(fixture.resume))('%s', (_name, run) => {
    const { config } = parseLabArgs(run.argv)
    const session = new TrainingSession(config)
    for (let t = 0; t < run.resumed_from; t++) session.step()
    const exact = config.dtype === 'float64' ? 1e-12 : 1e-6
    expect(rel(session.evaluateLoss(), run.final_loss)).toBeLessThanOrEqual(exact)
    // The snippet resumes weights and optimizer state; the scheduler stays where it was.
    run.resumed_losses.forEach((expected, k) => {
      const loss = session.lossFn.call(session.model.forward(session.x), session.y)
      expect(rel(loss.item(), expected), `resumed step ${k}`).toBeLessThanOrEqual(config.dtype === 'float64' ? 1e-9 : 1e-4)
      session.optimizer.zeroGrad()
      loss.backward()
      session.optimizer.step()
    })
  })
})
