/**
 * The shared schema: every configuration field and every engine command, with messages that name
 * the field and say what is allowed; hyperparameter values judged by the optimizers themselves.
 */
import { describe, expect, it } from 'vitest'
import { LESSON_CONFIG, type LabConfig } from '../../src-main/shared/config'
import { checkHyperparameters } from '../../src-main/shared/hyperparameter-check'
import { EngineCommandSchema, LabConfigSchema, describeProblem, parseWith } from '../../src-main/shared/schema'
import { ConfigError, parseLabConfig, validateConfig } from '../../src-main/shared/validate'

const config = (overrides: Record<string, unknown>): LabConfig => ({ ...LESSON_CONFIG, ...overrides }) as LabConfig

describe('LabConfigSchema', () => {
  it('accepts the lesson', () => {
    expect(parseWith(LabConfigSchema, LESSON_CONFIG)).toEqual({ ok: true, value: LESSON_CONFIG })
  })

  it.each([
    [{ n: 0 }, 'config.n', 'must be an integer from 1 to 1000000, got 0'],
    [{ n: 2.5 }, 'config.n', 'must be an integer from 1 to 1000000, got 2.5'],
    [{ dIn: '1000' }, 'config.dIn', 'must be an integer from 1 to 1000000, got "1000"'],
    [{ hidden: [100, 0] }, 'config.hidden[1]', 'must be an integer from 1 to 1000000, got 0'],
    [{ hidden: Array(33).fill(4) }, 'config.hidden', 'must be a list of at most 32 layer widths, got 33'],
    [{ hidden: 'none' }, 'config.hidden', 'must be a list of at most 32 layer widths, got "none"'],
    [{ activation: 'gelu' }, 'config.activation', 'must be one of relu, tanh, sigmoid, leaky_relu, got "gelu"'],
    [{ optimizer: 'adam' }, 'config.optimizer', 'must be one of SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam, got "adam"'],
    [{ steps: -1 }, 'config.steps', 'must be an integer from 0 to 10000000, got -1'],
    [{ seed: 2 ** 60 }, 'config.seed', `must be an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, got ${2 ** 60}`],
    [{ hyper: { lr: null } }, 'config.hyper.lr', 'must be a number, got null'],
    [{ hyper: { lr: 1, betas: [0.9] } }, 'config.hyper.betas[1]', 'must be a number, got undefined'],
    [{ hyper: { lr: 1, betas: 0.9 } }, 'config.hyper.betas', 'must be a pair of numbers [beta1, beta2], got 0.9'],
    [{ hyper: { lr: 1, amsgrad: 'yes' } }, 'config.hyper.amsgrad', 'must be true or false, got "yes"'],
    [{ hyper: { lr: 1, foreach: true } }, 'config.hyper.foreach', '"foreach" is not a hyperparameter of torch.optim'],
    [{ extra: 1 }, 'config.extra', expect.stringMatching(/^is not a configuration field \(the fields are seed, n, dIn, hidden, dOut, activation, reduction, dtype, optimizer, hyper, steps\b/)]
  ] as [Record<string, unknown>, string, unknown][])('%j → %s: %s', (overrides, field, message) => {
    expect(parseWith(LabConfigSchema, config(overrides), 'config')).toEqual({ ok: false, field, message })
  })

  it('refuses sizes that would exhaust memory before anything is allocated, saying what dominates', () => {
    const parsed = parseLabConfig(config({ n: 100_000, dIn: 100_000 }))
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.field).toBe('config.memory')
    expect(parsed.message).toMatch(/needs about 37\.6 GiB \(data N × \(D_in \+ D_out\) = 100,000 × 100,010 values, /)
    expect(parsed.message).toMatch(/more than the 1\.0 GiB allowed/)
    // Parameters alone, and steps × the series kept, count too.
    expect(parseLabConfig(config({ dIn: 1_000_000, hidden: [1000] })).ok).toBe(false)
    expect(parseLabConfig(config({ n: 1, dIn: 1, hidden: [], dOut: 1, steps: 10_000_000 }), 'config', 64 * 1024 ** 2)).toMatchObject({ ok: false, field: 'config.memory' })
  })

  it('keeps the CLI field names in ConfigError', () => {
    const fieldOf = (overrides: Record<string, unknown>): string => {
      try {
        validateConfig(config(overrides))
      } catch (error) {
        return (error as ConfigError).field
      }
      return ''
    }
    expect(fieldOf({ dIn: 0 })).toBe('d_in')
    expect(fieldOf({ dOut: 0 })).toBe('d_out')
    expect(fieldOf({ hidden: [1, -2] })).toBe('hidden')
    expect(fieldOf({ hyper: { lr: 1, momentum: 0.9 } })).toBe('momentum')
    expect(fieldOf({ n: 100_000, dIn: 100_000 })).toBe('memory')
  })
})

describe('EngineCommandSchema', () => {
  it.each([
    [{ type: 'ping', id: 1, extra: true }, 'extra: is not part of this command'],
    [{ type: 'pauseRun', id: 1, runId: '' }, 'runId: must be a string of 1 to 200 characters, got ""'],
    [{ type: 'pauseRun', id: 1, runId: 'x'.repeat(201) }, 'runId: must be a string of 1 to 200 characters, got 201'],
    [{ type: 'startRun', id: 1, runId: 'a', config: LESSON_CONFIG, paused: 1 }, 'paused: must be true or false, got 1'],
    [{ type: 'importWeights', id: 1, runId: 'a', config: LESSON_CONFIG, text: 42 }, 'text: must be the text of a weights file, got 42'],
    [{ type: 'fly', id: 1 }, /^type: must be one of startRun, .*importWeights, .*ping, got "fly"$/]
  ])('%j → %s', (command, message) => {
    const parsed = parseWith(EngineCommandSchema, command)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(describeProblem(parsed)).toMatch(message)
  })
})

describe('checkHyperparameters: PyTorch judges the values', () => {
  it.each([
    ['Adam', { lr: -1 }, 'lr', 'Invalid learning rate: -1'],
    ['Adam', { lr: Number.NaN }, 'lr', 'Invalid learning rate: nan'],
    ['Adam', { lr: Infinity }, 'lr', 'Invalid learning rate: inf'],
    ['Adam', { lr: 1e-3, betas: [1.5, 0.999] }, 'betas', 'Invalid beta parameter at index 0: 1.5'],
    ['Adam', { lr: 1e-3, betas: [0.9, Infinity] }, 'betas', 'Invalid beta parameter at index 1: inf'],
    ['Adam', { lr: 1e-3, eps: -Infinity }, 'eps', 'Invalid epsilon value: -inf'],
    ['SGD', { lr: 0.1, nesterov: true }, 'nesterov', 'Nesterov momentum requires a momentum and zero dampening'],
    ['SGD', { lr: 0.1, momentum: -0.5 }, 'momentum', 'Invalid momentum value: -0.5'],
    ['SGD', { lr: 0.1, dampening: Number.NaN }, 'dampening', 'Invalid dampening value: nan'],
    ['RMSprop', { lr: 0.1, alpha: -1 }, 'alpha', 'Invalid alpha value: -1']
  ] as const)('%s %j → %s: %s', (optimizer, hyper, field, message) => {
    expect(checkHyperparameters(optimizer, hyper)).toEqual({ field, message })
  })

  it('accepts every optimizer with PyTorch defaults', () => {
    for (const optimizer of ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam'] as const) {
      expect(checkHyperparameters(optimizer, { lr: 1e-3 })).toBeNull()
    }
  })
})
