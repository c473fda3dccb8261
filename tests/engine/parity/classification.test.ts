/**
 * 2-D classification runs against real PyTorch 2.13: manual_seed → moons / circles / spiral →
 * Sequential(Linear(2, H), ReLU, Linear(H, C)) → CrossEntropyLoss, full batch
 * (tests/fixtures/torch-2.13.0/classification.json, from scripts/torch/gen_classification.py).
 * Same tolerances as the lesson's curves (DESIGN §4).
 */
import { describe, expect, it } from 'vitest'
import type { LabConfig, OptimizerName } from '../../../src-main/shared/config'
import { validateConfig } from '../../../src-main/shared/validate'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { noGrad } from '../../../src-main/engine/autograd/graph'
import { loadFixture } from '../../helpers/fixtures'
import { expectCurveMatches } from '../../helpers/parity'

interface RunFixture {
  name: string
  seed: number
  data: { kind: 'moons' | 'circles' | 'spiral'; n: number; noise: number; classes?: number }
  hidden: number
  classes: number
  optimizer: OptimizerName
  kwargs: Record<string, number>
  reduction: 'mean' | 'sum'
  steps: number
  losses: number[]
  final_loss: number
  final_accuracy: number
}
const { runs } = loadFixture<{ runs: RunFixture[] }>('2.13.0', 'classification')

function configOf(run: RunFixture): LabConfig {
  const { kind, noise, classes } = run.data
  return {
    seed: run.seed,
    n: run.data.n,
    dIn: 2,
    hidden: [run.hidden],
    dOut: run.classes,
    activation: 'relu',
    reduction: run.reduction,
    dtype: 'float32',
    optimizer: run.optimizer,
    hyper: { lr: run.kwargs.lr, ...(run.kwargs.momentum !== undefined ? { momentum: run.kwargs.momentum } : {}) },
    steps: run.steps,
    data: kind === 'spiral' ? { kind, noise, classes: classes! } : { kind, noise },
    loss: 'cross_entropy'
  }
}

describe.each(runs)('$name', (run) => {
  it('follows PyTorch’s loss curve and ends as accurate', () => {
    const session = new TrainingSession(validateConfig(configOf(run)))
    const losses = Array.from({ length: run.steps }, () => session.step())
    expectCurveMatches(losses, run.losses, run.optimizer)
    expect(session.evaluateLoss()).toBeCloseTo(run.final_loss, 4)
    const accuracy = noGrad(() => {
      const logits = session.model.forward(session.x)
      const c = run.classes
      let right = 0
      for (let i = 0; i < run.data.n; i++) {
        const row = logits.data.subarray(i * c, (i + 1) * c)
        if (row.indexOf(Math.max(...row)) === session.y.data[i]) right++
      }
      return right / run.data.n
    })
    expect(accuracy).toBeCloseTo(run.final_accuracy, 2)
  })

  it('is graphed as PyTorch names it: NllLossBackward0 ← LogSoftmaxBackward0', () => {
    const session = new TrainingSession(configOf(run))
    const loss = session.lossFn.call(session.model.forward(session.x), session.y)
    expect(loss.gradFn?.name).toBe('NllLossBackward0')
    expect(loss.gradFn?.inputs[0].gradFn?.name).toBe('LogSoftmaxBackward0')
  })
})

describe('data and loss must agree (checked before anything is built)', () => {
  const base = configOf(runs[0])
  it.each([
    [{ loss: 'mse' as const }, /moons data has class labels; train it with cross_entropy/],
    [{ dIn: 3 }, /d_in must be 2/],
    [{ dOut: 3 }, /moons has 2 classes: d_out must be 2/],
    [{ data: undefined }, /CrossEntropyLoss needs class labels/],
    [{ data: { kind: 'spiral' as const, noise: 0.2, classes: 11 } }, /must be an integer from 2 to 10/],
    [{ data: { kind: 'moons' as const, noise: -1 } }, /must be at least 0/],
    [{ data: { kind: 'csv' as const, task: 'classification' as const, name: 'a.csv', x: [1, 2, 3], y: [0] } }, /the CSV x holds 3 values/]
  ])('%j is refused', (change, message) => {
    expect(() => validateConfig({ ...base, ...change } as LabConfig)).toThrow(message)
  })
})
