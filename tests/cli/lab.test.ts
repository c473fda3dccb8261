import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runLab } from '../../src-main/cli/lab'
import { formatPythonFloat } from '../../src-main/shared/python-format'
import { Generator } from '../../src-main/engine/random/generator'
import { randn } from '../../src-main/engine/train/session'
import { linear } from '../../src-main/engine/ops/linear-algebra'
import { relu } from '../../src-main/engine/ops/activation'
import { mseLoss } from '../../src-main/engine/ops/loss'
import { Tensor } from '../../src-main/engine/tensor/tensor'
import { float32Sha256 } from '../../src-main/engine/numeric/sha256'
import { loadFixture } from '../helpers/fixtures'
import type { WeightsFile } from '../../src-main/shared/weights-file'

const root = join(import.meta.dirname, '..', '..')
const SMALL = ['--n', '6', '--d-in', '5', '--hidden', '4', '--d-out', '3']

function lab(argv: string[]): { stdout: string; status: number } {
  let stdout = ''
  const status = runLab(argv, (text) => (stdout += text))
  return { stdout, status }
}

function spawnLab(argv: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'lab.mjs'), ...argv], { encoding: 'utf8', timeout: 120_000 })
  return { stdout: result.stdout, stderr: result.stderr, status: result.status }
}

describe('lab command', () => {
  it('prints the tutorial\'s "t loss" lines; line 0 is PyTorch\'s for seed 0', () => {
    const torch = loadFixture('2.13.0', 'workload_seed0').runs.adam.loss as number[]
    const { stdout, status } = lab(['--steps', '3'])
    expect(status).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toBe(`0 ${formatPythonFloat(torch[0])}`)
    expect(lines[0]).toBe('0 628.283935546875')
    lines.forEach((line, t) => expect(line).toMatch(new RegExp(`^${t} \\d+\\.\\d+$`)))
  })

  it('starts its helper thread as `npm run lab` runs (through tsx), computing the same losses as one thread', () => {
    // tsx names functions with a helper (__name) that the worker running serveKernelThread's source
    // text does not have: a helper function inside it would fail there, and lab would quietly train
    // on one thread. Only a run through scripts/lab.mjs shows it.
    const run = (threads: string): { losses: number[]; threads: number } => {
      const { stdout, status } = spawnLab(['--steps', '3', '--kernels', 'wasm', '--threads', threads, '--json'])
      expect(status).toBe(0)
      return JSON.parse(stdout)
    }
    const two = run('2')
    expect(two.threads).toBe(2)
    expect(two.losses).toEqual(run('1').losses)
  })

  it('--json reports losses, final_loss, train_ms and every hyperparameter', () => {
    const { stdout } = lab([...SMALL, '--steps', '4', '--optimizer', 'rmsprop', '--json'])
    const result = JSON.parse(stdout)
    expect(result.losses).toHaveLength(4)
    expect(typeof result.final_loss).toBe('number')
    expect(result.final_loss).toBeLessThan(result.losses[0])
    expect(result.train_ms).toBeGreaterThan(0)
    expect(result.param_groups[0]).toMatchObject({ lr: 1e-4, alpha: 0.99, eps: 1e-8, centered: false, params: [0, 1, 2, 3] })
  })

  it('--steps 0 --export writes the initial weights, bit for bit as PyTorch draws them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'))
    const path = join(dir, 'init.json')
    lab(['--steps', '0', '--export', path])
    const file = JSON.parse(readFileSync(path, 'utf8')) as WeightsFile
    const init = loadFixture('2.13.0', 'workload_seed0').init
    expect(file.format).toBe('optim-lab/state-dict')
    expect(file.optimizer).toBeUndefined()
    for (const name of ['0.weight', '0.bias', '2.weight', '2.bias']) {
      expect(file.state_dict[name].shape).toEqual(init[name].shape)
      expect(float32Sha256(file.state_dict[name].data)).toBe(init[name].sha256)
    }
    expect(readdirSync(dir)).toEqual(['init.json'])
  })

  it('exported weights, evaluated independently on the same seed\'s data, give the reported final_loss', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'))
    const path = join(dir, 'w.json')
    const { stdout } = lab(['--seed', '5', ...SMALL, '--steps', '20', '--optimizer', 'adam', '--lr', '0.01', '--json', '--export', path])
    const { final_loss: finalLoss } = JSON.parse(stdout)
    const file = JSON.parse(readFileSync(path, 'utf8')) as WeightsFile
    expect(file.meta).toMatchObject({ seed: 5, steps: 20, final_loss: finalLoss })
    expect(file.optimizer?.state_dict.state['0'].step).toBe(20)
    // Rebuild the data from the seed and apply the exported weights with plain ops.
    const g = new Generator()
    g.manualSeed(5)
    const x = randn(g, [6, 5])
    const y = randn(g, [6, 3])
    const t = (name: string): Tensor => Tensor.fromArray(file.state_dict[name].data, file.state_dict[name].shape)
    const h = relu(linear(x, t('0.weight'), t('0.bias')))
    const loss = mseLoss(linear(h, t('2.weight'), t('2.bias')), y, 'sum').item()
    expect(loss).toBe(finalLoss)
  })

  it('runs from a shell: exit 0 and stdout holds only the losses', () => {
    const { stdout, stderr, status } = spawnLab([...SMALL, '--steps', '2'])
    expect(stderr).toBe('')
    expect(status).toBe(0)
    expect(stdout.trimEnd().split('\n').map((l) => l.split(' ')[0])).toEqual(['0', '1'])
  })

  it.each([
    [['--n', '0'], '--n'],
    [['--lr', 'nan'], '--lr'],
    [['--lr', '-1'], 'Invalid learning rate: -1'],
    [['--optimizer', 'foo'], '--optimizer'],
    [['--hidden', '10,,3'], '--hidden'],
    [['--optimizer', 'adam', '--betas', '1.5,0.999'], 'Invalid beta parameter at index 0: 1.5'],
    [['--n', '100000', '--d-in', '100000'], '--max-memory'],
    [['--optimizer', 'sgd', '--nesterov'], 'Nesterov momentum requires a momentum and zero dampening'],
    [['--momentum', '0.9'], 'does not apply to Adam']
  ])('hostile %j exits 2 with one line naming the problem', (argv, fragment) => {
    const { stdout, stderr, status } = spawnLab(argv)
    expect(status).toBe(2)
    expect(stdout).toBe('')
    const lines = stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(fragment)
    expect(lines[0]).not.toMatch(/\bat .*:\d+:\d+/)
  })
})
