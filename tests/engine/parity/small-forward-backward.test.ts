import { describe, expect, it } from 'vitest'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { linear } from '../../../src-main/engine/ops/linear-algebra'
import { relu } from '../../../src-main/engine/ops/activation'
import { mseLoss } from '../../../src-main/engine/ops/loss'
import type { Tensor } from '../../../src-main/engine/tensor/tensor'
import { TORCH_VERSIONS, flatten, loadFixture, type NestedNumbers } from '../../helpers/fixtures'

const expectExact = (t: Tensor, expected: NestedNumbers, what: string): void => {
  expect(Array.from(t.data), what).toEqual(flatten(expected))
}

// N=4, D_in=3, H=5, D_out=2: every intermediate of the first forward and backward pass, bit for bit.
describe.each(TORCH_VERSIONS)('small_seed7 first forward/backward equals torch %s', (version) => {
  const fixture = loadFixture(version, 'small_seed7')
  const expected = fixture.first_forward_backward

  it('forward intermediates, both reductions and every gradient', () => {
    const session = new TrainingSession({
      seed: 7, n: 4, dIn: 3, hidden: [5], dOut: 2, activation: 'relu', reduction: 'sum', dtype: 'float32',
      optimizer: 'SGD', hyper: { lr: 1e-2 }, steps: 1
    })
    const [w1, b1, w2, b2] = session.model.parameters()
    const hPre = linear(session.x, w1, b1)
    const hRelu = relu(hPre)
    const yPred = linear(hRelu, w2, b2)
    expectExact(hPre, expected.h_pre, 'h_pre')
    expectExact(hRelu, expected.h_relu, 'h_relu')
    expectExact(yPred, expected.y_pred, 'y_pred')
    expect(mseLoss(yPred, session.y, 'mean').item()).toBe(expected.loss_mean)
    const loss = mseLoss(yPred, session.y, 'sum')
    expect(loss.item()).toBe(expected.loss)
    loss.backward()
    for (const [name, p] of session.model.namedParameters()) expectExact(p.grad!, expected.grads[name], `grad of ${name}`)
  })

  it('the three recorded losses of plain SGD', () => {
    const run = fixture.runs.sgd_momentum_lr1e_2 ?? fixture.runs['sgd_momentum_lr1e-2']
    const session = new TrainingSession({
      seed: 7, n: 4, dIn: 3, hidden: [5], dOut: 2, activation: 'relu', reduction: 'sum', dtype: 'float32',
      optimizer: 'SGD', hyper: run.kwargs, steps: 3
    })
    const losses = [session.step(), session.step(), session.step()]
    expect(losses[0]).toBe(run.loss[0])
    losses.forEach((l, t) => expect(Math.abs(l - run.loss[t]) / run.loss[t]).toBeLessThan(1e-6))
  })
})
