import { describe, expect, it } from 'vitest'
import { TrainingSession, previewLrs } from '../../../src-main/engine/train/session'
import type { Hyperparameters, LabConfig, SchedulerConfig } from '../../../src-main/shared/config'
import { validateConfig } from '../../../src-main/shared/validate'
import { readWeightsFile } from '../../../src-main/shared/weights-import'
import { loadFixture } from '../../helpers/fixtures'
import { configFrom, expectCurveMatches, rel } from '../../helpers/parity'

/**
 * Whole training runs with a scheduler and param groups, against real torch 2.13.0
 * (scripts/torch/gen_scheduler_fixtures.py, "training"): the lab's construction order, groups as
 * `[{"params": model[0].parameters(), ...}, ...]`, `scheduler.step()` after `optimizer.step()`
 * (ReduceLROnPlateau fed the step's loss). Losses within the family tolerances (float64: 1e-9),
 * the lr of every group at every step bit for bit, and the final `param_groups` (scheduler keys
 * included) equal to PyTorch's.
 */

interface TrainingRun {
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
    param_groups: 'single' | 'per-layer'
    group_kwargs: Partial<Hyperparameters>[]
    scheduler: SchedulerConfig
    steps: number
  }
  losses: number[]
  lrs: number[][]
  final_loss: number
  param_groups: Record<string, unknown>[]
}

const fixture = loadFixture<{ training: Record<string, TrainingRun> }>('2.13.0', 'schedulers')

function labConfig(run: TrainingRun): LabConfig {
  const c = run.config
  const config = configFrom(c, c.optimizer, c.kwargs, c.dtype, c.steps)
  config.paramGroups = c.param_groups
  if (c.group_kwargs.length) config.groupHyper = c.group_kwargs
  config.scheduler = c.scheduler
  return validateConfig(config)
}

describe('training with a scheduler and param groups matches PyTorch 2.13', () => {
  it.each(Object.entries(fixture.training))('%s', (_name, run) => {
    const config = labConfig(run)
    const session = new TrainingSession(config)
    const losses: number[] = []
    const lrs: number[][] = []
    for (let t = 0; t < config.steps; t++) {
      lrs.push(session.currentLrs())
      losses.push(session.step())
    }
    expect(lrs).toEqual(run.lrs)
    if (config.dtype === 'float64') {
      losses.forEach((loss, t) => expect(rel(loss, run.losses[t]), `loss[${t}]`).toBeLessThanOrEqual(1e-9))
    } else {
      expectCurveMatches(losses, run.losses, config.optimizer)
    }
    const tolerance = config.dtype === 'float64' ? 1e-9 : 1e-4
    expect(rel(session.evaluateLoss(), run.final_loss)).toBeLessThanOrEqual(tolerance)
    // initial_lr, OneCycleLR's max_lr / min_lr / momentum keys, in PyTorch's order and values.
    const ours = session.optimizer.stateDict().param_groups
    expect(ours.map((g) => Object.keys(g))).toEqual(run.param_groups.map((g) => Object.keys(g)))
    expect(JSON.parse(JSON.stringify(ours))).toEqual(run.param_groups)
  })

  it.each(Object.entries(fixture.training).filter(([, run]) => run.config.scheduler.kind !== 'ReduceLROnPlateau'))(
    'previewLrs(%s) gives the same lrs without building the model',
    (_name, run) => {
      expect(previewLrs(labConfig(run))).toEqual(run.lrs)
    }
  )

  it('previewLrs of ReduceLROnPlateau follows the metrics it is given', () => {
    const run = fixture.training.plateau_adam_high_lr
    expect(previewLrs(labConfig(run), run.losses.length, run.losses)).toEqual(run.lrs)
    const flat = previewLrs(labConfig(run), 5)
    expect(flat).toEqual(Array.from({ length: 5 }, () => [0.05]))
  })
})

describe('param groups in the session', () => {
  const base: LabConfig = {
    seed: 0, n: 4, dIn: 3, hidden: [5, 4], dOut: 2, activation: 'relu', reduction: 'sum', dtype: 'float32',
    optimizer: 'SGD', hyper: { lr: 0.1, momentum: 0.9 }, steps: 3
  }

  it('one group per Linear, holding the model\'s own parameters; identity rows name the group', () => {
    const session = new TrainingSession({ ...base, paramGroups: 'per-layer', groupHyper: [{ lr: 0.5 }, undefined as never, { momentum: 0 }] })
    const groups = session.optimizer.paramGroups
    expect(groups).toHaveLength(3)
    expect(groups.map((g) => g.lr)).toEqual([0.5, 0.1, 0.1])
    expect(groups.map((g) => g.momentum)).toEqual([0.9, 0.9, 0])
    const rows = session.identityRows()
    expect(rows.map((r) => [r.name, r.group, r.sameObject])).toEqual([
      ['0.weight', 0, true], ['0.bias', 0, true], ['2.weight', 1, true], ['2.bias', 1, true], ['4.weight', 2, true], ['4.bias', 2, true]
    ])
    // PyTorch's key order: the group's own keys first, then the defaults.
    expect(Object.keys(session.optimizer.stateDict().param_groups[0]).slice(0, 2)).toEqual(['lr', 'momentum'])
  })

  it('single group with overrides is the same run as the same hyperparameters given directly', () => {
    const a = new TrainingSession({ ...base, groupHyper: [{ lr: 0.05 }] })
    const b = new TrainingSession({ ...base, hyper: { lr: 0.05, momentum: 0.9 } })
    for (let t = 0; t < 3; t++) expect(a.step()).toBe(b.step())
  })

  it('a group value is checked as the constructor checks its defaults', () => {
    expect(() => new TrainingSession({ ...base, paramGroups: 'per-layer', groupHyper: [{ lr: -1 }] })).toThrow('Invalid learning rate: -1')
  })

  it('validateConfig refuses malformed groups and schedulers, naming the field', () => {
    const bad: [Partial<LabConfig>, string][] = [
      [{ paramGroups: 'per-weight' as never }, 'param_groups'],
      [{ groupHyper: [{}, {}] }, 'group_hyper'],
      [{ paramGroups: 'per-layer', groupHyper: [{ betas: [0.9, 0.99] } as never] }, 'group_betas'],
      [{ paramGroups: 'per-layer', groupHyper: [{ lr: 'fast' } as never] }, 'group_hyper'],
      [{ scheduler: { kind: 'WarmupLR' as never, options: {} } }, 'scheduler'],
      [{ scheduler: { kind: 'StepLR', options: {} } }, 'step_size'],
      [{ scheduler: { kind: 'StepLR', options: { step_size: 2.5 } } }, 'step_size'],
      [{ scheduler: { kind: 'StepLR', options: { step_size: 2, T_max: 3 } } }, 'T_max'],
      [{ scheduler: { kind: 'MultiStepLR', options: { milestones: [1, 'x' as never] } } }, 'milestones'],
      [{ scheduler: { kind: 'OneCycleLR', options: { max_lr: [0.1, 0.2] } } }, 'max_lr'],
      [{ scheduler: { kind: 'OneCycleLR', options: { max_lr: 0.1, total_steps: 2 } } }, 'total_steps'],
      [{ scheduler: { kind: 'OneCycleLR', options: { max_lr: 0.1 } }, steps: 0 }, 'steps'],
      [{ scheduler: { kind: 'ReduceLROnPlateau', options: { mode: 'avg' as never } } }, 'mode']
    ]
    for (const [change, field] of bad) {
      expect(() => validateConfig({ ...base, ...change }), JSON.stringify(change)).toThrow(expect.objectContaining({ field }))
    }
    expect(validateConfig({ ...base, paramGroups: 'per-layer', groupHyper: [{ lr: 1 }], scheduler: { kind: 'OneCycleLR', options: { max_lr: [1, 2, 3] } } })).toBeTruthy()
  })

  it("a scheduled run's weights file imports: the scheduler's keys (initial_lr, max_lr ...) are not hyperparameters", () => {
    const session = new TrainingSession({ ...base, scheduler: { kind: 'OneCycleLR', options: { max_lr: 0.1 } } })
    for (let t = 0; t < 3; t++) session.step()
    const file = session.exportWeights(session.evaluateLoss())
    expect(Object.keys(file.optimizer!.state_dict.param_groups[0])).toContain('max_lr')
    const { config } = readWeightsFile(JSON.stringify(file), base)
    expect(config.hyper.lr).toBe(session.currentLrs()[0])
    expect(Object.keys(config.hyper)).not.toContain('initial_lr')
  })
})
