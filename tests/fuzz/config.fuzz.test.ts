/** Property-based tests of the configuration schema and the checks the CLI and the form share. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LabConfig } from '../../src-main/shared/config'
import { checkHyperparameters } from '../../src-main/shared/hyperparameter-check'
import { ConfigError, parseLabConfig, validateConfig } from '../../src-main/shared/validate'
import { FUZZ, mutatedConfig, nastyNumber, smallValidConfig } from './arbitraries'

describe('fuzz: configuration schema', () => {
  it('parseLabConfig never throws; a refusal names a field of the input', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedConfig, fc.anything()), (value) => {
        const parsed = parseLabConfig(value)
        if (parsed.ok) return
        expect(parsed.field).toMatch(/^config(\.[A-Za-z_$][\w$]*|\[\d+\]|\["[^"]*"\])*$/)
        expect(parsed.message).toMatch(/\S/)
      }),
      FUZZ
    )
  })

  it('validateConfig throws nothing but ConfigError', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedConfig, fc.anything()), (value) => {
        try {
          validateConfig(value as LabConfig)
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError)
        }
      }),
      FUZZ
    )
  })

  it('valid small configurations pass; any hyperparameter value gets PyTorch’s verdict, non-finite ones never pass', () => {
    fc.assert(
      fc.property(smallValidConfig, fc.constantFrom('lr', 'eps', 'momentum', 'weight_decay', 'alpha', 'betas'), nastyNumber, (config, key, value) => {
        expect(parseLabConfig(config).ok).toBe(true)
        const hyper: Record<string, unknown> = { lr: config.hyper.lr, [key]: key === 'betas' ? [0.9, value] : value }
        let problem: ReturnType<typeof checkHyperparameters>
        try {
          problem = checkHyperparameters(config.optimizer, hyper)
        } catch (error) {
          throw new Error(`checkHyperparameters threw ${String(error)}`)
        }
        if (!Number.isFinite(value)) expect(problem).not.toBeNull()
        if (problem) expect(problem.message).toMatch(/\S/)
      }),
      FUZZ
    )
  })
})
