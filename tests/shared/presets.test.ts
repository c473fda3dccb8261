/**
 * The shipped lesson presets: each file parses, its reference (real PyTorch 2.13, written by
 * scripts/torch/gen_preset_references.py) has one curve per lane of the preset's length, and our
 * engine's curves match it by the app's own "matches PyTorch" rule; broken presets are refused.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TrainingSession } from '../../src-main/engine/train/session'
import { compareCurves } from '../../src-main/shared/parity'
import { parsePreset, rungConfigOf, type Preset, type PresetReference } from '../../src-main/shared/presets'
import { RUNGS, runRung } from '../../src-main/engine/lesson/rungs'
import { OPTIMIZER_DEFAULTS, type LabConfig } from '../../src-main/shared/config'

const DIR = join(__dirname, '../../resources/presets')
const files = readdirSync(DIR).filter((name) => name.endsWith('.json'))
const read = (path: string): unknown => JSON.parse(readFileSync(join(DIR, path), 'utf8'))

function laneConfigs(preset: Preset): LabConfig[] {
  if (preset.kind !== 'race') return [preset.config]
  return preset.lanes!.map((lane) => ({
    ...preset.config,
    optimizer: lane.optimizer,
    hyper: { ...OPTIMIZER_DEFAULTS[lane.optimizer], lr: lane.lr, ...(lane.optimizer === 'SGD' ? { momentum: lane.momentum } : {}) }
  }))
}

describe('lesson presets in resources/presets', () => {
  it('ships the tutorial, the optimizer race, sum vs mean and the zero_grad mistake', () => {
    expect(files.sort()).toEqual(expect.arrayContaining(['optimizer-race.json', 'sum-vs-mean.json', 'tutorial.json', 'zero-grad-mistake.json']))
  })

  it.each(files)('%s parses, and our curves match its PyTorch reference', (file) => {
    const parsed = parsePreset(read(file))
    if (!parsed.ok) throw new Error(parsed.message)
    const { preset } = parsed
    expect(`${preset.id}.json`).toBe(file)
    if (!preset.reference) return
    const reference = read(preset.reference) as PresetReference
    expect(reference.torch).toMatch(/^2\.13\./)
    const configs = laneConfigs(preset)
    expect(reference.runs).toHaveLength(configs.length)
    for (const [i, config] of configs.entries()) {
      expect(reference.runs[i].optimizer).toBe(config.optimizer)
      expect(reference.runs[i].losses).toHaveLength(config.steps)
      const session = new TrainingSession(config)
      const ours = Array.from({ length: config.steps }, () => session.step())
      expect(compareCurves(ours, reference.runs[i].losses, config.optimizer)).toEqual({ matches: true })
    }
  }, 120_000)

  it('five-rungs: every rung (numpy, tensors, autograd, nn, optim) matches its PyTorch reference', () => {
    const parsed = parsePreset(read('five-rungs.json'))
    if (!parsed.ok) throw new Error(parsed.message)
    expect(parsed.preset.kind).toBe('rungs')
    const config = rungConfigOf(parsed.preset.config)
    expect(config).toEqual({ seed: 0, n: 64, dIn: 1000, hidden: 100, dOut: 10, lr: 1e-5, steps: 100 })
    const reference = read(parsed.preset.reference!) as PresetReference
    // The first 30 steps of each rung (all 100 of rung 5 are checked above, as TrainingSession).
    for (const { index } of RUNGS) expect(compareCurves(runRung(index, config, 30), reference.runs[0].losses, 'SGD'), `rung ${index}`).toEqual({ matches: true })
  }, 120_000)

  it.each([
    [{ hidden: [100, 50] }, /^config\.hidden: the five rungs have one hidden layer/],
    [{ activation: 'tanh' }, /^config\.activation: the five rungs use "relu"/],
    [{ reduction: 'mean' }, /^config\.reduction: the five rungs use "sum"/],
    [{ optimizer: 'Adam', hyper: { lr: 1e-3 } }, /^config\.optimizer: the five rungs use "SGD"/],
    [{ hyper: { lr: 1e-5, momentum: 0.9 } }, /^config\.hyper\.momentum: the five rungs do plain gradient descent/],
    [{ zeroGrad: 'skip' }, /^config\.zeroGrad: not part of the five rungs/],
    [{ steps: 0 }, /^config\.steps: the five rungs take 1 to 100000 steps/]
  ])('refuses a rungs preset the rungs cannot train: %j', (change, message) => {
    const base = read('five-rungs.json') as { config: Record<string, unknown> }
    const parsed = parsePreset({ ...base, config: { ...base.config, ...change } })
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.message).toMatch(message)
  })

  it('reports the first step that diverges', () => {
    const torch = [10, 9, 8, 7]
    expect(compareCurves([10, 9, 8.5, 7], torch, 'SGD')).toMatchObject({ matches: false, step: 2, ours: 8.5, torch: 8 })
    expect(compareCurves([10, 9, 8, 7], torch, 'SGD')).toEqual({ matches: true })
  })

  it.each([
    [{}, /^format: must be "optim-lab-preset"/],
    [{ lanes: [] }, /^lanes: a race needs 1 to 8 lanes/],
    [{ lanes: [{ optimizer: 'Lion', lr: 1, momentum: 0 }] }, /^lanes\[0\]\.optimizer: must be one of/],
    [{ config: { seed: 0 } }, /^config/],
    [{ teacher: 'me' }, /^teacher: is not a preset field/],
    [{ reference: '../../etc/passwd' }, /^reference: must be "references\/<name>\.json"/]
  ])('refuses a broken preset: %j', (change, message) => {
    const base = read('optimizer-race.json') as Record<string, unknown>
    const broken = 'format' in change || Object.keys(change).length === 0 ? { ...base, format: 'x', ...change } : { ...base, ...change }
    const parsed = parsePreset(broken)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.message).toMatch(message)
  })
})
