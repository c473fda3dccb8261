/**
 * fast-check building blocks for the fuzz tests: values that are almost right (the dangerous kind),
 * next to anything at all. Runs are bounded (FUZZ) so `npm test` stays quick on two cores.
 */
import fc from 'fast-check'
import { LESSON_CONFIG, type LabConfig } from '../../src-main/shared/config'

/** numRuns and a time cap per property; the seed is printed on failure so a case can be replayed. */
export const FUZZ = { numRuns: 300, interruptAfterTimeLimit: 8_000 } as const

/** Numbers a hostile or careless sender might use. */
export const nastyNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, 1e-300, 1e300, Number.NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.EPSILON),
  fc.double(),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 })
)

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyNumber },
  fc.string({ maxLength: 30 }),
  fc.constantFrom(null, undefined, true, false, '', '__proto__', 'constructor', [], {}),
  fc.anything({ maxDepth: 3, maxKeys: 4 })
)

/** A small, valid configuration (fast to build if it ever gets that far). */
export const smallValidConfig: fc.Arbitrary<LabConfig> = fc.record({
  seed: fc.integer({ min: -1000, max: 1000 }),
  n: fc.integer({ min: 1, max: 6 }),
  dIn: fc.integer({ min: 1, max: 6 }),
  hidden: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }),
  dOut: fc.integer({ min: 1, max: 4 }),
  activation: fc.constantFrom('relu', 'tanh', 'sigmoid', 'leaky_relu'),
  reduction: fc.constantFrom('sum', 'mean'),
  dtype: fc.constantFrom('float32', 'float64'),
  optimizer: fc.constantFrom('SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam'),
  hyper: fc.record({ lr: fc.double({ min: 1e-6, max: 1, noNaN: true }) }),
  steps: fc.integer({ min: 0, max: 3 })
}) as fc.Arbitrary<LabConfig>

/** The lesson's config with one field replaced, removed or added: near misses, field by field. */
export const mutatedConfig: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom(...Object.keys(LESSON_CONFIG), 'hyper.lr', 'hyper.betas', 'hyper.momentum', 'hyper.nesterov', 'hidden.0', 'extra', '__proto__'),
    fc.oneof(nastyValue, fc.constant('DELETE'))
  )
  .map(([path, value]) => {
    const config = structuredClone(LESSON_CONFIG) as unknown as Record<string, any>
    const [head, tail] = path.split('.')
    const target = tail === undefined ? config : config[head]
    const key = tail ?? head
    if (value === 'DELETE') delete target[key]
    else target[key] = value
    return config
  })
