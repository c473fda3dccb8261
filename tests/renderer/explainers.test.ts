/**
 * The zero_grad explainer's helpers: the parameter rows it describes (named and shaped as
 * `model.named_parameters()` is, checked against the engine's model) and when it says the
 * gradients are accumulating.
 */
import { describe, expect, it } from 'vitest'
import { TrainingSession } from '../../src-main/engine/train/session'
import { LESSON_CONFIG } from '../../src-main/shared/config'
import { gradientGrowth, parameterRows } from '../../src-renderer/src/state/explainers.svelte'

const record = (step: number, norm: number | null) => ({ step, names: ['0.weight', '0.bias'], norms: [norm, 1] })

describe('zero_grad explainer helpers', () => {
  it('lists the parameters as the engine names and shapes them', () => {
    const config = { ...LESSON_CONFIG, hidden: [100, 20] }
    const engine = new TrainingSession({ ...config, n: 2, steps: 0 }).inspectParameters().map((p) => ({ name: p.name, shape: p.shape }))
    expect(parameterRows(config)).toEqual(engine)
    expect(parameterRows(config)[0]).toEqual({ name: '0.weight', shape: [100, 1000] })
  })

  it('reports growth only when |grad| of the first parameter rose at every recorded step', () => {
    expect(gradientGrowth([record(1, 2), record(2, 3), record(3, 6)])).toEqual({ name: '0.weight', first: 2, last: 6, ratio: 3 })
    expect(gradientGrowth([record(1, 2), record(2, 3), record(3, 3)])).toBeNull()
    expect(gradientGrowth([record(1, 2)])).toBeNull()
    expect(gradientGrowth([record(1, null), record(2, 3)])).toBeNull()
  })
})
