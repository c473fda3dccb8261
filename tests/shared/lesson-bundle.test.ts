/** Lesson bundles: what is written reads back the same; every part of an untrusted file is checked. */
import { describe, expect, it } from 'vitest'
import { LESSON_CONFIG, type LabConfig } from '../../src-main/shared/config'
import { BUNDLE_FORMAT, lossesOf, makeBundle, parseLessonBundle, storedLosses, type SavedRun } from '../../src-main/shared/lesson-bundle'
import type { Preset } from '../../src-main/shared/presets'
import { TrainingSession } from '../../src-main/engine/train/session'

const small: LabConfig = { ...LESSON_CONFIG, n: 4, dIn: 3, hidden: [5], dOut: 2, steps: 3 }
const session = new TrainingSession(small)
const losses = [session.step(), session.step(), session.step()]
const run: SavedRun = {
  id: 'run-1',
  name: 'Adam, three steps',
  savedAt: '2025-03-01T09:30:00.000Z',
  config: small,
  losses: storedLosses([...losses, NaN]),
  finalLoss: session.evaluateLoss(),
  weights: session.exportWeights()
}
const preset: Preset = { format: 'optim-lab-preset', version: 1, id: 'tiny', title: 'Tiny', description: 'A tiny net', kind: 'run', config: small }
const text = JSON.stringify(makeBundle([preset], [run], 'optim-lab test', new Date('2025-03-02T00:00:00Z')))

describe('lesson bundle', () => {
  it('round-trips presets, runs, every loss (nan as null) and the weights', () => {
    const parsed = parseLessonBundle(text)
    if (!parsed.ok) throw new Error(parsed.message)
    expect(parsed.bundle.format).toBe(BUNDLE_FORMAT)
    expect(parsed.bundle.presets).toEqual([preset])
    expect(parsed.bundle.runs).toEqual([run])
    const back = lossesOf(parsed.bundle.runs[0])
    expect([...back.subarray(0, 3)]).toEqual(losses)
    expect(Number.isNaN(back[3])).toBe(true)
    expect(parsed.bundle.runs[0].weights?.state_dict['0.weight'].shape).toEqual([5, 3])
  })

  const broken = (change: (b: any) => void): string => {
    const b = JSON.parse(text)
    change(b)
    return JSON.stringify(b)
  }
  it.each([
    ['not JSON', '{', /not JSON/],
    ['another format', broken((b) => (b.format = 'optim-lab/state-dict')), /format: must be "optim-lab\/lesson-bundle"/],
    ['a bad preset', broken((b) => (b.presets[0].id = 'Bad Id')), /presets\[0\]: id: must use a-z/],
    ['a bad config', broken((b) => (b.runs[0].config.optimizer = 'Adamm')), /runs\[0\]\.config\.optimizer: must be one of/],
    ['a nan loss as a string', broken((b) => (b.runs[0].losses[1] = 'nan')), /runs\[0\]\.losses: must be a list of numbers/],
    ['weights of another shape', broken((b) => (b.runs[0].weights.state_dict['0.weight'].shape = [5, 4])), /runs\[0\]\.weights: /],
    ['a missing name', broken((b) => delete b.runs[0].name), /runs\[0\]\.name: must be a non-empty string/]
  ])('refuses %s, naming the entry', (_what, bad, message) => {
    const parsed = parseLessonBundle(bad)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.message).toMatch(message)
  })
})
