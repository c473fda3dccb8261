import { describe, expect, it } from 'vitest'
import { UsageError, parseLabArgs } from '../../src-main/cli/args'
import { LESSON_CONFIG } from '../../src-main/shared/config'

describe('lab flags', () => {
  it('defaults to the lesson', () => {
    const { config, json, exportPath } = parseLabArgs([])
    expect(config).toEqual({ ...LESSON_CONFIG, hyper: { lr: 1e-4 } })
    expect(json).toBe(false)
    expect(exportPath).toBeNull()
  })

  it('reads every kind of flag', () => {
    const { config, json, exportPath, maxMemoryBytes } = parseLabArgs([
      '--seed', '-3', '--n', '8', '--d-in=5', '--hidden', '4,3', '--d-out', '2', '--activation', 'tanh',
      '--reduction', 'mean', '--dtype', 'float64', '--optimizer', 'SGD', '--lr', '0.1', '--momentum', '0.9',
      '--nesterov', '--weight-decay', '1e-3', '--steps', '7', '--json', '--export', 'w.json', '--max-memory', '2GiB'
    ])
    expect(config).toEqual({
      seed: -3, n: 8, dIn: 5, hidden: [4, 3], dOut: 2, activation: 'tanh', reduction: 'mean', dtype: 'float64',
      optimizer: 'SGD', hyper: { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 1e-3 }, steps: 7
    })
    expect(json).toBe(true)
    expect(exportPath).toBe('w.json')
    expect(maxMemoryBytes).toBe(2 * 1024 ** 3)
  })

  it('takes betas as a pair and hidden none as no hidden layer', () => {
    const { config } = parseLabArgs(['--optimizer', 'adamw', '--betas', '0.8,0.99', '--hidden', 'none'])
    expect(config.hyper.betas).toEqual([0.8, 0.99])
    expect(config.hidden).toEqual([])
    expect(config.optimizer).toBe('AdamW')
  })

  it.each([
    [['--n', '0'], '--n'],
    [['--n', '1.5'], '--n'],
    [['--lr', 'nan'], '--lr'],
    [['--lr', 'inf'], '--lr'],
    [['--lr', '1e-4x'], '--lr'],
    [['--optimizer', 'foo'], '--optimizer'],
    [['--hidden', '10,,3'], '--hidden'],
    [['--hidden', ''], '--hidden'],
    [['--hidden', '10,-3'], '--hidden'],
    [['--betas', '0.9'], '--betas'],
    [['--steps', '-1'], '--steps'],
    [['--seed', '99999999999999999999'], '--seed'],
    [['--frobnicate'], 'unknown flag'],
    [['--nesterov=true'], '--nesterov'],
    [['--lr'], '--lr'],
    [['--lr', '--steps', '3'], '--lr'],
    [['--momentum', '0.9'], 'does not apply to Adam'],
    [['--optimizer', 'sgd', '--amsgrad'], 'does not apply to SGD'],
    [['--lr', '1', '--lr', '2'], 'more than once'],
    [['--max-memory', 'lots'], '--max-memory'],
    [['stray'], 'unexpected argument']
  ])('%j is refused, naming %s', (argv, fragment) => {
    expect(() => parseLabArgs(argv)).toThrow(UsageError)
    expect(() => parseLabArgs(argv)).toThrow(fragment)
  })
})
