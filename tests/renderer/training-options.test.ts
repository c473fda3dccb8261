import { describe, expect, it } from 'vitest'
import { OPTIMIZER_DEFAULTS } from '../../src-main/shared/config'
import { parseGroup, parseOption } from '../../src-renderer/src/lib/training-options'

describe('parseOption', () => {
  it('reads each option as its constructor takes it; a blank is not given', () => {
    expect(parseOption('step_size', ' 10 ')).toBe(10)
    expect(parseOption('gamma', '')).toBeUndefined()
    expect(parseOption('milestones', '10, 20 30')).toEqual([10, 20, 30])
    expect(parseOption('milestones', '[5]')).toEqual([5])
    expect(parseOption('max_lr', '0.1')).toBe(0.1)
    expect(parseOption('max_lr', '0.1, 0.01')).toEqual([0.1, 0.01])
    expect(parseOption('anneal_strategy', 'linear')).toBe('linear')
    expect(parseOption('three_phase', 'True')).toBe(true)
    expect(parseOption('cycle_momentum', 'False')).toBe(false)
  })

  it('keeps text that is not a number, so the check can quote it', () => {
    expect(parseOption('gamma', 'half')).toBe('half')
    expect(parseOption('milestones', '10, x')).toBe('10, x')
  })
})

describe('parseGroup', () => {
  it('keeps only what was typed; a half-typed betas pair takes the other half from the defaults above', () => {
    const inherited = { ...OPTIMIZER_DEFAULTS.Adam, lr: 1e-4, betas: [0.8, 0.99] as [number, number] }
    expect(parseGroup('Adam', {}, inherited)).toEqual({})
    expect(parseGroup('Adam', { lr: '1e-3', 'betas.1': '0.9', amsgrad: 'True', weight_decay: ' ' }, inherited)).toEqual({
      lr: 1e-3,
      betas: [0.8, 0.9],
      amsgrad: true
    })
  })

  it('ignores options the optimizer does not take', () => {
    expect(parseGroup('SGD', { lr: '0.1', betas: '0.5', momentum: '0.9' }, OPTIMIZER_DEFAULTS.SGD)).toEqual({ lr: 0.1, momentum: 0.9 })
  })
})
