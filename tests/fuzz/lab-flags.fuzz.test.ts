/**
 * Property-based tests of the `lab` command's flags: any argv is either a configuration that passes
 * the shared checks, or a UsageError / ConfigError / PyTorch message of one line. Spawned runs
 * check the contract itself: hostile flags exit 2 with one line each, never a stack trace.
 */
import fc from 'fast-check'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FLAG_NAMES, UsageError, parseLabArgs } from '../../src-main/cli/args'
import { checkHyperparameters } from '../../src-main/shared/hyperparameter-check'
import { ConfigError, validateConfig } from '../../src-main/shared/validate'
import { FUZZ } from './arbitraries'

const flagValue = fc.oneof(
  fc.constantFrom('0', '-1', '1e-4', 'nan', 'inf', '-inf', '1e999', '', ' ', '0x10', '1,2', '1,,2', 'none', 'adam', 'SGD', 'relu', 'float64', '2GiB', '--lr', '=', '9'.repeat(40)),
  fc.string({ maxLength: 12 }),
  fc.double().map(String),
  fc.integer().map(String)
)
const argument = fc.oneof(
  fc.constantFrom(...FLAG_NAMES),
  fc.tuple(fc.constantFrom(...FLAG_NAMES), flagValue).map(([flag, value]) => `${flag}=${value}`),
  flagValue,
  fc.constantFrom('-x', '--', '---lr', '--LR')
)

describe('fuzz: lab flags', () => {
  it('any argv parses to a checked configuration or fails with one clear line', () => {
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 8 }), (argv) => {
        let message: string | null = null
        try {
          const options = parseLabArgs(argv)
          validateConfig(options.config, options.maxMemoryBytes)
          const problem = checkHyperparameters(options.config.optimizer, options.config.hyper as unknown as Record<string, unknown>)
          if (problem) message = problem.message
        } catch (error) {
          if (!(error instanceof UsageError || error instanceof ConfigError)) throw new Error(`escaped for ${JSON.stringify(argv)}: ${String(error)}`)
          message = error.message
        }
        if (message !== null) {
          expect(message).toMatch(/\S/)
          expect(message).not.toContain('\n')
        }
      }),
      FUZZ
    )
  })
})

const root = join(import.meta.dirname, '..', '..')

describe('npm run lab with hostile flags', () => {
  it.each([
    [['--lr', 'inf'], '--lr'],
    [['--lr', '1e999'], '--lr'],
    [['--eps', '-1'], 'Invalid epsilon value: -1'],
    [['--steps', '-5'], '--steps'],
    [['--hidden', '0'], '--hidden'],
    [['--d-in', '9999999999'], '--d-in'],
    [['--seed', '1e30'], '--seed'],
    [['--betas', 'nan,0.9'], '--betas'],
    [['--max-memory', 'lots'], '--max-memory'],
    [['--bogus'], 'unknown flag --bogus'],
    [['--optimizer', 'sgd', '--momentum', '-0.1'], 'Invalid momentum value: -0.1'],
    [['--n', '1000000', '--d-in', '1000000'], '--max-memory']
  ])('%j exits 2 with one line', (argv, fragment) => {
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'lab.mjs'), ...argv], { encoding: 'utf8', timeout: 60_000 })
    expect(result.status).toBe(2)
    expect(result.stdout).toBe('')
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^lab: error: /)
    expect(lines[0]).toContain(fragment)
  })
})
