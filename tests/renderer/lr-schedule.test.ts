import { describe, expect, it } from 'vitest'
import { LESSON_CONFIG, type LabConfig } from '../../src-main/shared/config'
import { lrChanges, previewSchedule, seriesOf } from '../../src-renderer/src/lib/lr-schedule'

const small: LabConfig = { ...LESSON_CONFIG, dIn: 4, hidden: [3], dOut: 2, n: 4, steps: 30 }

describe('previewSchedule', () => {
  it('steps StepLR as PyTorch does: lr_t = lr · γ^⌊t/step_size⌋, one list per group', () => {
    const preview = previewSchedule({
      ...small,
      paramGroups: 'per-layer',
      groupHyper: [{}, { lr: 1e-3 }],
      scheduler: { kind: 'StepLR', options: { step_size: 10, gamma: 0.5 } }
    })
    expect(preview.kind).toBe('lrs')
    if (preview.kind !== 'lrs') return
    expect(preview.truncated).toBe(false)
    expect(preview.lrs).toHaveLength(2)
    expect(Array.from(preview.lrs[0])).toEqual(Array.from({ length: 30 }, (_, t) => 1e-4 * 0.5 ** Math.floor(t / 10)))
    expect(preview.lrs[1][25]).toBe(1e-3 * 0.25)
  })

  it('says ReduceLROnPlateau needs the losses, and passes on the constructor’s error', () => {
    expect(previewSchedule({ ...small, scheduler: { kind: 'ReduceLROnPlateau', options: {} } })).toEqual({ kind: 'plateau' })
    expect(previewSchedule({ ...small, scheduler: { kind: 'StepLR', options: { step_size: 0 } } })).toEqual({
      kind: 'error',
      message: 'step_size must be a positive integer, got 0'
    })
  })

  it('previews the first steps of a long run only', () => {
    const preview = previewSchedule({ ...small, steps: 100, scheduler: { kind: 'ExponentialLR', options: { gamma: 0.9 } } }, 40)
    expect(preview.kind === 'lrs' && preview.lrs[0].length).toBe(40)
    expect(preview.kind === 'lrs' && preview.truncated).toBe(true)
  })
})

describe('lrChanges', () => {
  it('lists step 0 and each step where a group changes, up to the limit, counting all', () => {
    const a = seriesOf(Float64Array.from([1, 1, 0.5, 0.5, 0.25, 0.25]))
    const b = seriesOf(Float64Array.from([2, 2, 2, 1, 1, 1]))
    expect(lrChanges([a, b], 3)).toEqual({
      rows: [
        { step: 0, lrs: [1, 2] },
        { step: 2, lrs: [0.5, 2] },
        { step: 3, lrs: [0.5, 1] }
      ],
      total: 4
    })
    expect(lrChanges([], 3)).toEqual({ rows: [], total: 0 })
  })
})
