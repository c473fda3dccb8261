/**
 * Property-based tests of the weights-file importer: a real exported file with one value replaced
 * anywhere in it, or text that is not a weights file at all. Either the file is accepted (and then
 * it loads), or the import fails with a WeightsImportError naming the problem; nothing else escapes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Run } from '../../src-main/host/run'
import { TrainingSession } from '../../src-main/engine/train/session'
import { WeightsImportError, readWeightsFile } from '../../src-main/shared/weights-import'
import { smallConfig } from '../host/engine-client'
import { FUZZ, nastyValue } from './arbitraries'

const base = smallConfig()
const session = new TrainingSession(smallConfig({ n: 3, dIn: 2, hidden: [3], dOut: 2, optimizer: 'NAdam', hyper: { lr: 1e-2 } }))
for (let t = 0; t < 3; t++) session.step()
const file = JSON.parse(JSON.stringify(session.exportWeights(null))) as Record<string, unknown>

/** Every path to a value inside `value` (objects and arrays), as key lists. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix]
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...prefix, i])))
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]))
  return out
}
const allPaths = paths(file).filter((p) => p.length > 0)

function replaced(path: (string | number)[], value: unknown, remove: boolean): string {
  const copy = structuredClone(file) as any
  let target = copy
  for (const key of path.slice(0, -1)) target = target[key]
  const last = path[path.length - 1]
  if (remove) delete target[last]
  else target[last] = value
  return JSON.stringify(copy) ?? 'undefined'
}

function expectClearOutcome(text: string): void {
  let imported
  try {
    imported = readWeightsFile(text, base)
  } catch (error) {
    if (!(error instanceof WeightsImportError)) throw new Error(`escaped: ${String(error)}`)
    expect(error.message).toMatch(/^Cannot import this weights file: \S/)
    expect(error.message).not.toMatch(/\n\s+at /)
    return
  }
  // Accepted: it must load and take a step without throwing.
  const run = Run.fromWeights('fuzz', imported)
  run.stepOnce()
  expect(['paused', 'failed', 'finished']).toContain(run.status)
}

describe('fuzz: weights importer', () => {
  it('the exported file itself is accepted', () => {
    expectClearOutcome(JSON.stringify(file))
    expect(readWeightsFile(JSON.stringify(file), base).optimizerState).not.toBeNull()
  })

  it('one value replaced or removed anywhere: accepted and loadable, or a clear error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...allPaths), nastyValue, fc.boolean(), (path, value, remove) => {
        expectClearOutcome(replaced(path, value, remove))
      }),
      FUZZ
    )
  })

  it('text that is not a weights file: always a clear error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), fc.constantFrom('{', '[]', 'null', '"x"', '\u0000', '{"format":"optim-lab/state-dict"}')), (text) => {
        expect(() => readWeightsFile(text, base)).toThrow(WeightsImportError)
      }),
      FUZZ
    )
  })

  it('truncated files (a copy cut short): always a clear error', () => {
    const text = JSON.stringify(file)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), (cut) => {
        expect(() => readWeightsFile(text.slice(0, cut), base)).toThrow(WeightsImportError)
      }),
      FUZZ
    )
  })
})
