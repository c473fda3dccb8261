import { describe, expect, it } from 'vitest'
import { LESSON_CONFIG } from '../../src-main/shared/config'
import {
  MAX_RECENT_RUNS,
  addRecentRun,
  defaultSettings,
  parseSettings,
  summarizeLosses,
  validateSettings,
  type RecentRun
} from '../../src-main/shared/settings'

const recent = (id: string): RecentRun => ({
  id,
  endedAt: '2026-01-02T03:04:05.000Z',
  status: 'finished',
  config: LESSON_CONFIG,
  steps: 500,
  losses: { first: 700.5, last: 1e-5, min: 1e-5, final: 9e-6 }
})

describe('settings', () => {
  it('round-trips through JSON', () => {
    const settings = { ...defaultSettings(), lastConfig: LESSON_CONFIG, recentRuns: [recent('a')] }
    expect(parseSettings(JSON.stringify(settings))).toEqual({ ok: true, settings })
  })

  it.each([
    ['', 'it is not valid JSON'],
    ['{"version": 1', 'it is not valid JSON'],
    ['null', /Expected Object but received null/],
    [JSON.stringify({ ...defaultSettings(), version: 2 }), 'version: must be 1, got 2'],
    [JSON.stringify({ ...defaultSettings(), ui: { logScale: 1, language: 'auto' } }), /^ui\.logScale: /],
    [JSON.stringify({ ...defaultSettings(), lastConfig: { ...LESSON_CONFIG, n: -1 } }), 'lastConfig.n: must be an integer from 1 to 1000000, got -1'],
    [JSON.stringify({ ...defaultSettings(), recentRuns: [{ ...recent('a'), losses: { first: 'x' } }] }), /^recentRuns\[0\]\.losses\.first: /],
    [' '.repeat(5 * 1024 * 1024), /larger than/]
  ])('refuses %#: %s', (text, reason) => {
    const parsed = parseSettings(text)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.reason).toMatch(reason)
  })

  it('validates settings to be written, naming the field', () => {
    expect(() => validateSettings({ ...defaultSettings(), recentRuns: 'all' })).toThrow(/^settings\.recentRuns: /)
    expect(validateSettings(defaultSettings())).toEqual(defaultSettings())
  })

  it('keeps at most MAX_RECENT_RUNS, newest first, one entry per run', () => {
    let runs: RecentRun[] = []
    for (let i = 0; i < MAX_RECENT_RUNS + 5; i++) runs = addRecentRun(runs, recent(`r${i}`))
    runs = addRecentRun(runs, recent('r24'))
    expect(runs).toHaveLength(MAX_RECENT_RUNS)
    expect(runs[0].id).toBe('r24')
    expect(runs.filter((r) => r.id === 'r24')).toHaveLength(1)
  })

  it('summarizes losses without NaN (JSON cannot hold it)', () => {
    const losses = new Float64Array([5, 3, 4, Number.NaN, 0, 0])
    expect(summarizeLosses(losses, 4, null)).toEqual({ first: 5, last: null, min: 3, final: null })
    expect(summarizeLosses(losses, 0, 2)).toEqual({ first: null, last: null, min: null, final: 2 })
  })
})
