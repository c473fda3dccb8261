import { bench, describe } from 'vitest'
import { createOptimizer } from '../../../src-main/engine/optim'
import { OPTIMIZER_NAMES } from '../../../src-main/shared/config'
import { Parameter, Tensor } from '../../../src-main/engine/tensor/tensor'
import { pseudoRandom } from './support'

// One optimizer.step() over the lesson's 101,110 float32 weights:
// npx vitest bench tests/engine/optim --run
const SHAPES = [[100, 1000], [100], [10, 100], [10]]

describe('step() on the lesson network (101,110 float32 parameters)', () => {
  for (const name of OPTIMIZER_NAMES) {
    const params = SHAPES.map((shape, i) => {
      const p = new Parameter(pseudoRandom(shape.reduce((a, b) => a * b), i + 1, 0.1), shape)
      p.grad = new Tensor(pseudoRandom(p.numel, i + 11, 1e-2), shape)
      return p
    })
    const optimizer = createOptimizer(name, params, { lr: 1e-4 })
    bench(name, () => optimizer.step(), { time: 500 })
  }
})
