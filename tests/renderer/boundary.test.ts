/** The decision-boundary view's model and grid, from a hand-written weights file. */
import { describe, expect, it } from 'vitest'
import type { LabConfig } from '../../src-main/shared/config'
import type { WeightsFile } from '../../src-main/shared/weights-file'
import { accuracy, classGrid, classifier, frameOf, pointsOf } from '../../src-renderer/src/lib/boundary'

const tensor = (shape: number[], data: number[]) => ({ shape, dtype: 'float32' as const, data })
/** Linear(2, 2) → ReLU → Linear(2, 2): class 1 where x > 0 (the first hidden unit), class 0 elsewhere. */
const weights: WeightsFile = {
  format: 'optim-lab/state-dict',
  version: 1,
  architecture: [
    { type: 'Linear', in_features: 2, out_features: 2, bias: true },
    { type: 'ReLU' },
    { type: 'Linear', in_features: 2, out_features: 2, bias: true }
  ],
  state_dict: {
    '0.weight': tensor([2, 2], [1, 0, -1, 0]),
    '0.bias': tensor([2], [0, 0]),
    '2.weight': tensor([2, 2], [0, 1, 1, 0]),
    '2.bias': tensor([2], [0, 0])
  },
  meta: { seed: 0, steps: 0, final_loss: null, app: 'test' }
}

describe('decision boundary', () => {
  const predict = classifier(weights)
  it('runs the network: argmax of the logits', () => {
    expect(predict(2, 5)).toBe(1)
    expect(predict(-2, 5)).toBe(0)
  })

  it('colours a grid with the top row first and scores the training points', () => {
    const grid = classGrid(predict, { x0: -1, x1: 1, y0: -1, y1: 1 }, 4)
    expect([...grid]).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1])
    expect(accuracy(predict, { xy: [1, 0, -1, 0, 1, 1], labels: [1, 0, 0], classes: 2 })).toBeCloseTo(2 / 3)
    expect(frameOf({ xy: [0, 0, 10, 20], labels: [0, 1], classes: 2 })).toEqual({ x0: -1, x1: 11, y0: -2, y1: 22 })
  })

  it('has points only for 2-D classification data, drawn again from the seed', () => {
    const base: LabConfig = {
      seed: 5, n: 40, dIn: 2, hidden: [8], dOut: 2, activation: 'relu', reduction: 'mean', dtype: 'float32',
      optimizer: 'Adam', hyper: { lr: 0.01 }, steps: 10, data: { kind: 'moons', noise: 0.1 }, loss: 'cross_entropy'
    }
    const a = pointsOf(base)!
    expect(a.labels).toHaveLength(40)
    expect(Array.from(pointsOf(base)!.xy)).toEqual(Array.from(a.xy))
    expect(pointsOf({ ...base, data: undefined, loss: undefined })).toBeNull()
    expect(pointsOf({ ...base, data: { kind: 'csv', task: 'regression', name: 'r', x: [1, 2], y: [3] }, n: 1, dOut: 1, loss: 'mse' })).toBeNull()
  })
})
