import { afterAll, describe, expect, it } from 'vitest'
import { createOptimizer } from '../../../src-main/engine/optim'
import type { OptimizerName } from '../../../src-main/shared/config'
import { Tensor } from '../../../src-main/engine/tensor/tensor'
import { flatten, hasFixture, loadFixture, type NestedNumbers } from '../../helpers/fixtures'
import { PARAM_NAMES, compareFloat32, parameterFrom, tensorFrom } from './support'

/**
 * small_seed7: feed PyTorch's `grads[t]` to our optimizer and compare `params_after_step[t]` and the
 * final `state_dict()` with real PyTorch, bit for bit.
 *
 * torch 2.13.0 (PyPI, MKL) computes `sqrt` with MKL's vsSqrt, which is not correctly rounded: about
 * 1 in 5 results is 1 ulp off the IEEE value we compute. So values computed from a sqrt may differ by
 * 1 ulp per sqrt there (see `ulpsAllowed`); everything else must be exact, and the number of such
 * values is pinned. torch 1.13.1 (no MKL) must match exactly.
 */

type Tensors = Record<string, NestedNumbers>
interface Run {
  optimizer: OptimizerName
  kwargs: Record<string, unknown>
  grads: Tensors[]
  params_after_step: Tensors[]
  state_dict: {
    state: Record<string, Record<string, NestedNumbers | null>>
    param_groups: Record<string, unknown>[]
  }
}
interface SmallFixture {
  init: Tensors
  runs: Record<string, Run>
}

/**
 * Whether a value passes through a `sqrt` within 3 steps: the parameters of every sqrt optimizer, plus
 * RMSprop's momentum buffer (g/avg) and Adadelta's acc_delta (Δ). With coupled weight decay the
 * gradient itself includes θ, so all state does. SGD and Adamax take no sqrt; RAdam takes none while
 * ρₜ ≤ 5 (t ≤ 5 with β2 = 0.999).
 */
function downstreamOfSqrt(run: Run, key: 'param' | string): boolean {
  if (run.optimizer === 'SGD' || run.optimizer === 'Adamax' || run.optimizer === 'RAdam') return false
  const coupledDecay = Number(run.kwargs.weight_decay ?? 0) !== 0 && run.optimizer !== 'AdamW'
  if (key === 'param' || coupledDecay) return true
  return (run.optimizer === 'RMSprop' && key === 'momentum_buffer') || (run.optimizer === 'Adadelta' && key === 'acc_delta')
}

/**
 * One MKL square root is 1 ulp off. Adadelta's acc_delta = ρu + (1 − ρ)Δ² squares Δ = √(u+ε)/√(v+ε)·g,
 * which carries two of them, so it can land 2 ulp away (redoing the update with torch's own sqrt makes
 * all of these exact; checked with the local torch 2.13.0).
 */
function ulpsAllowed(run: Run, key: string): number {
  return run.optimizer === 'Adadelta' && key === 'acc_delta' ? 2 : 1
}

function runFixture(fixture: SmallFixture, name: string, checkGroups: boolean) {
  const run = fixture.runs[name]
  const params = PARAM_NAMES.map((n) => parameterFrom(fixture.init[n]))
  const optimizer = createOptimizer(run.optimizer, params, run.kwargs)
  const tally = { exact: 0, offBySqrt: 0 }
  const check = (key: string, where: string, actual: ArrayLike<number>, expected: NestedNumbers) => {
    const { mismatches, maxUlp } = compareFloat32(actual, flatten(expected))
    if (mismatches === 0) return void tally.exact++
    expect(downstreamOfSqrt(run, key), `${where} differs but takes no sqrt`).toBe(true)
    expect(maxUlp, `${where}: ${mismatches} values, max ${maxUlp} ulp`).toBeLessThanOrEqual(ulpsAllowed(run, key))
    tally.offBySqrt += mismatches
  }

  for (let t = 0; t < run.grads.length; t++) {
    params.forEach((p, i) => (p.grad = tensorFrom(run.grads[t][PARAM_NAMES[i]])))
    optimizer.step()
    params.forEach((p, i) => check('param', `step ${t} ${PARAM_NAMES[i]}`, p.data, run.params_after_step[t][PARAM_NAMES[i]]))
  }

  const ours = optimizer.stateDict()
  const expected = run.state_dict
  // momentum=0 SGD: 1.13 stores {'momentum_buffer': None}; 2.x stores nothing
  const expectedIds = Object.keys(expected.state).filter((id) => Object.values(expected.state[id]).some((v) => v !== null))
  expect(Object.keys(ours.state)).toEqual(expectedIds)
  for (const id of expectedIds) {
    expect(Object.keys(ours.state[Number(id)])).toEqual(Object.keys(expected.state[id]))
    for (const [key, value] of Object.entries(expected.state[id])) {
      const actual = ours.state[Number(id)][key]
      if (typeof value === 'number') {
        expect(actual, `state[${id}].${key}`).toBe(value)
      } else {
        expect(actual).toBeInstanceOf(Tensor)
        const tensor = actual as Tensor
        expect(tensor.dtype).toBe('float32')
        check(key, `state[${id}].${key}`, tensor.data, value as NestedNumbers)
      }
    }
  }
  if (checkGroups) {
    expect(ours.param_groups).toEqual(expected.param_groups)
    ours.param_groups.forEach((g, i) => expect(Object.keys(g)).toEqual(Object.keys(expected.param_groups[i])))
  }
  return tally
}

describe('small_seed7, torch 2.13.0: params after each step and the final state_dict', () => {
  const fixture = loadFixture<SmallFixture>('2.13.0', 'small_seed7')
  const totals = new Map<string, number>()
  afterAll(() => {
    const total = [...totals.values()].reduce((a, b) => a + b, 0)
    console.info(`2.13.0 small_seed7: ${total} values off by MKL's sqrt:`, Object.fromEntries(totals))
  })

  it('has the 18 runs', () => expect(Object.keys(fixture.runs)).toHaveLength(18))

  it.each(Object.keys(fixture.runs))('%s', (name) => {
    const { offBySqrt } = runFixture(fixture, name, true)
    if (offBySqrt) totals.set(name, offBySqrt)
  })

  it(`differs from MKL's sqrt in at most ${MKL_SQRT_MISMATCHES} values`, () => {
    const total = Object.keys(fixture.runs).reduce((n, name) => n + runFixture(fixture, name, true).offBySqrt, 0)
    expect(total).toBeLessThanOrEqual(MKL_SQRT_MISMATCHES)
  })
})

/**
 * Observed against torch 2.13.0: 10 state values (1 in rmsprop_centered_momentum's momentum_buffer,
 * 9 in adadelta's acc_delta; all parameters exact). More would mean a rounding bug of our own.
 */
const MKL_SQRT_MISMATCHES = 10

// Runs whose 1.13 formulas equal 2.x's (no lerp, no NAdam fix); 1.13.1 has IEEE sqrt, so all exact.
const SAME_IN_1_13 = [
  'sgd', 'sgd_momentum', 'sgd_nesterov', 'sgd_momentum_wd_dampening', 'sgd_momentum_lr1e-2',
  'rmsprop', 'rmsprop_wd', 'adagrad', 'adadelta'
]

describe.runIf(hasFixture('1.13.1', 'small_seed7'))('small_seed7, torch 1.13.1: bit-exact where the formulas coincide', () => {
  const fixture = hasFixture('1.13.1', 'small_seed7') ? loadFixture<SmallFixture>('1.13.1', 'small_seed7') : null
  it.each(SAME_IN_1_13)('%s', (name) => {
    expect(runFixture(fixture!, name, false)).toMatchObject({ offBySqrt: 0 })
  })
})
