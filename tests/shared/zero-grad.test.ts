/**
 * `LabConfig.zeroGrad`: what each step does before `loss.backward()`. The engine's curves for
 * 'set_to_none', 'zeros' and 'skip' (no zero_grad: gradients accumulate) against the losses real
 * PyTorch 2.13 printed running the scripts `lab --emit-pytorch` wrote
 * (tests/fixtures/torch-2.13.0/zero_grad_scripts.json, from scripts/torch/check_zero_grad_scripts.mjs),
 * and the flag, schema and script line that carry the setting.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseLabArgs } from '../../src-main/cli/args'
import { TrainingSession } from '../../src-main/engine/train/session'
import { LESSON_CONFIG, configForStorage, type LabConfig } from '../../src-main/shared/config'
import { rel } from '../../src-main/shared/parity'
import { pytorchScript } from '../../src-main/shared/pytorch-script'
import { parseLabConfig } from '../../src-main/shared/validate'
import { defaultSettings, parseSettings } from '../../src-main/shared/settings'
import { readWeightsFile } from '../../src-main/shared/weights-import'
import { loadFixture } from '../helpers/fixtures'

interface Fixture {
  meta: { torch_version: string }
  runs: Record<string, { argv: string[]; config: LabConfig; zero_grad_line: string; losses: number[] }>
}
const fixture = loadFixture<Fixture>('2.13.0', 'zero_grad_scripts')
const root = join(import.meta.dirname, '..', '..')

function curve(config: LabConfig): number[] {
  const session = new TrainingSession(config)
  return Array.from({ length: config.steps }, () => session.step())
}

describe('zero_grad modes against real PyTorch', () => {
  it('the fixture came from torch 2.13 and covers every mode', () => {
    expect(fixture.meta.torch_version).toMatch(/^2\.13\./)
    const modes = new Set(Object.values(fixture.runs).map((r) => r.config.zeroGrad ?? 'set_to_none'))
    expect([...modes].sort()).toEqual(['set_to_none', 'skip', 'zeros'])
  })

  it.each(Object.keys(fixture.runs))('%s: the engine follows PyTorch within 1e-4 (float32, 30 steps)', (name) => {
    const run = fixture.runs[name]
    const { config } = parseLabArgs(run.argv)
    expect(config).toEqual(run.config)
    expect(pytorchScript(config)).toContain(run.zero_grad_line)
    const ours = curve(config)
    expect(ours).toHaveLength(run.losses.length)
    ours.forEach((loss, t) => expect(rel(loss, run.losses[t]), `step ${t}`).toBeLessThanOrEqual(1e-4))
  })

  it("'zeros' trains bit for bit like 'set_to_none' (0 + g is g); 'skip' leaves that curve after step 1", () => {
    const base: LabConfig = { ...LESSON_CONFIG, optimizer: 'SGD', hyper: { lr: 1e-6 }, steps: 6 }
    const none = curve(base)
    expect(curve({ ...base, zeroGrad: 'zeros' })).toEqual(none)
    const skip = curve({ ...base, zeroGrad: 'skip' })
    // Steps 0 and 1 see the same weights (the first backward starts from no .grad); step 1's update uses g0 + g1.
    expect(skip.slice(0, 2)).toEqual(none.slice(0, 2))
    expect(skip[2]).not.toBe(none[2])
  })

  it("after each mode's zero_grad, .grad is None, a zeros tensor, or the last gradient still there", () => {
    const config: LabConfig = { ...LESSON_CONFIG, n: 4, dIn: 5, hidden: [3], dOut: 2, steps: 2 }
    const session = new TrainingSession(config)
    session.step()
    const weight = session.model.parameters()[0]
    const before = Array.from(weight.grad!.data)
    session.optimizer.zeroGrad(false)
    expect(weight.grad).not.toBeNull()
    expect(weight.grad!.shape).toEqual([3, 5])
    expect(Array.from(weight.grad!.data).every((v) => v === 0)).toBe(true)
    session.optimizer.zeroGrad()
    expect(weight.grad).toBeNull()
    expect(before.some((v) => v !== 0)).toBe(true)
  })

  it("with 'skip' the gradient norm grows across steps (SGD at the lesson's lr)", () => {
    const session = new TrainingSession({ ...LESSON_CONFIG, optimizer: 'SGD', hyper: { lr: 1e-6 }, steps: 5, zeroGrad: 'skip' })
    const norms: number[] = []
    for (let t = 0; t < 5; t++) {
      session.step()
      norms.push(session.inspectParameters()[0].gradNorm!)
    }
    for (let t = 1; t < norms.length; t++) expect(norms[t]).toBeGreaterThan(norms[t - 1])
  })
})

describe('zeroGrad in the configuration, the script, the CLI and settings', () => {
  it('the script calls zero_grad(), zero_grad(set_to_none=False), or has the call commented out', () => {
    const lines = (zeroGrad?: LabConfig['zeroGrad']): string[] =>
      pytorchScript({ ...LESSON_CONFIG, zeroGrad }).split('\n').filter((l) => l.includes('zero_grad'))
    expect(lines(undefined)).toEqual(['    optimizer.zero_grad()'])
    expect(lines('set_to_none')).toEqual(['    optimizer.zero_grad()'])
    expect(lines('zeros')[0]).toMatch(/^ {4}optimizer\.zero_grad\(set_to_none=False\)/)
    const skip = lines('skip')
    expect(skip[0]).toMatch(/^ {4}# optimizer\.zero_grad\(\)/)
    expect(skip.every((l) => l.trimStart().startsWith('#'))).toBe(true)
  })

  it('the schema takes the three modes and names the field otherwise', () => {
    for (const zeroGrad of ['set_to_none', 'zeros', 'skip'] as const) expect(parseLabConfig({ ...LESSON_CONFIG, zeroGrad }).ok).toBe(true)
    expect(parseLabConfig({ ...LESSON_CONFIG, zeroGrad: 'never' })).toEqual({
      ok: false,
      field: 'config.zeroGrad',
      message: 'must be one of set_to_none, zeros, skip, got "never"'
    })
  })

  it('settings and an imported weights file keep it (configForStorage passes it through)', () => {
    const config: LabConfig = { ...LESSON_CONFIG, n: 4, dIn: 5, hidden: [3], dOut: 2, steps: 1, zeroGrad: 'skip' }
    expect(configForStorage(config).zeroGrad).toBe('skip')
    const parsed = parseSettings(JSON.stringify({ ...defaultSettings(), lastConfig: configForStorage(config) }))
    expect(parsed.ok && parsed.settings.lastConfig?.zeroGrad).toBe('skip')
    const session = new TrainingSession(config)
    session.step()
    // The file holds weights and optimizer state; the loop's zero_grad choice comes from the form's config.
    expect(readWeightsFile(JSON.stringify(session.exportWeights()), config).config.zeroGrad).toBe('skip')
  })

  it('--zero-grad sets the mode (the default stays implicit)', () => {
    expect(parseLabArgs([]).config.zeroGrad).toBeUndefined()
    expect(parseLabArgs(['--zero-grad', 'set_to_none']).config.zeroGrad).toBeUndefined()
    expect(parseLabArgs(['--zero-grad', 'zeros']).config.zeroGrad).toBe('zeros')
    expect(parseLabArgs(['--zero-grad=SKIP']).config.zeroGrad).toBe('skip')
  })

  it.each([[['--zero-grad', 'none']], [['--zero-grad']], [['--zero-grad', 'skip', '--zero-grad', 'zeros']]])(
    '%j exits 2 with one "lab: error:" line',
    (argv) => {
      const result = spawnSync(process.execPath, [join(root, 'scripts', 'lab.mjs'), ...argv], { encoding: 'utf8', timeout: 120_000 })
      expect(result.status).toBe(2)
      expect(result.stdout).toBe('')
      const lines = result.stderr.trimEnd().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^lab: error: --zero-grad/)
    }
  )
})
