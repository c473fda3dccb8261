import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HELP, UsageError, parseLabArgs } from '../../src-main/cli/args'
import { runLab } from '../../src-main/cli/lab'
import { TrainingSession } from '../../src-main/engine/train/session'
import { pytorchScript } from '../../src-main/shared/pytorch-script'
import { loadFixture } from '../helpers/fixtures'

/** --scheduler and its options, --param-groups / --group-*, --emit-pytorch, and --json's lrs. */

const root = join(import.meta.dirname, '..', '..')
const SMALL = ['--n', '6', '--d-in', '5', '--hidden', '4,3', '--d-out', '2']

function lab(argv: string[]): { stdout: string; stderr: string; status: number } {
  let stdout = ''
  let stderr = ''
  const status = runLab(argv, (text) => (stdout += text), (text) => (stderr += text))
  return { stdout, stderr, status }
}

describe('scheduler flags', () => {
  it('read as PyTorch names them', () => {
    const cases: [string[], unknown][] = [
      [['--scheduler', 'steplr', '--step-size', '10', '--gamma', '0.5'], { kind: 'StepLR', options: { step_size: 10, gamma: 0.5 } }],
      [['--scheduler', 'MultiStepLR', '--milestones', '10,20'], { kind: 'MultiStepLR', options: { milestones: [10, 20] } }],
      [['--scheduler', 'exponentiallr', '--gamma', '0.9'], { kind: 'ExponentialLR', options: { gamma: 0.9 } }],
      [['--scheduler', 'cosineannealinglr', '--t-max', '50', '--eta-min', '1e-5'], { kind: 'CosineAnnealingLR', options: { T_max: 50, eta_min: 1e-5 } }],
      [['--scheduler', 'linearlr', '--start-factor', '0.1', '--end-factor', '1', '--total-iters', '8'],
        { kind: 'LinearLR', options: { start_factor: 0.1, end_factor: 1, total_iters: 8 } }],
      [['--scheduler', 'onecyclelr', '--max-lr', '0.01', '--pct-start', '0.25', '--anneal-strategy', 'linear', '--three-phase', '--no-cycle-momentum',
        '--div-factor', '10', '--final-div-factor', '100', '--total-steps', '600', '--base-momentum', '0.8', '--max-momentum', '0.9'],
        { kind: 'OneCycleLR', options: { max_lr: 0.01, pct_start: 0.25, anneal_strategy: 'linear', three_phase: true, cycle_momentum: false,
          div_factor: 10, final_div_factor: 100, total_steps: 600, base_momentum: 0.8, max_momentum: 0.9 } }],
      [['--scheduler', 'reducelronplateau', '--mode', 'max', '--factor', '0.5', '--patience', '3', '--threshold', '0.01', '--threshold-mode', 'abs',
        '--cooldown', '2', '--min-lr', '1e-6'],
        { kind: 'ReduceLROnPlateau', options: { mode: 'max', factor: 0.5, patience: 3, threshold: 0.01, threshold_mode: 'abs', cooldown: 2, min_lr: 1e-6 } }]
    ]
    for (const [argv, scheduler] of cases) expect(parseLabArgs(argv).config.scheduler, argv.join(' ')).toEqual(scheduler)
    expect(parseLabArgs([]).config.scheduler).toBeUndefined()
  })

  it('param groups: --param-groups per-layer and one --group-* value per group', () => {
    const { config } = parseLabArgs(['--hidden', '100,50', '--optimizer', 'sgd', '--param-groups', 'per-layer', '--group-lr', '1e-3,1e-4,1e-5',
      '--group-weight-decay', '0,0.1,0', '--scheduler', 'onecyclelr', '--max-lr', '0.1,0.01,0.001'])
    expect(config.paramGroups).toBe('per-layer')
    expect(config.groupHyper).toEqual([{ lr: 1e-3, weight_decay: 0 }, { lr: 1e-4, weight_decay: 0.1 }, { lr: 1e-5, weight_decay: 0 }])
    expect(config.scheduler?.options.max_lr).toEqual([0.1, 0.01, 0.001])
    expect(parseLabArgs(['--group-lr', '3e-3']).config.groupHyper).toEqual([{ lr: 3e-3 }])
  })

  it.each([
    [['--scheduler', 'warmup'], '--scheduler: expected one of steplr, multisteplr'],
    [['--scheduler', 'steplr'], '--scheduler steplr needs --step-size'],
    [['--scheduler', 'multisteplr'], 'needs --milestones'],
    [['--scheduler', 'onecyclelr'], 'needs --max-lr'],
    [['--gamma', '0.5'], '--gamma needs --scheduler (it is an option of steplr, multisteplr, exponentiallr)'],
    [['--scheduler', 'cosineannealinglr', '--t-max', '5', '--gamma', '0.5'], '--gamma does not apply to CosineAnnealingLR (its options: --t-max, --eta-min)'],
    [['--scheduler', 'steplr', '--step-size', '2.5'], '--step-size: expected an integer'],
    [['--scheduler', 'multisteplr', '--milestones', '3,,5'], '--milestones: expected a comma list'],
    [['--scheduler', 'onecyclelr', '--max-lr', '0.1', '--anneal-strategy', 'exp'], '--anneal-strategy: expected one of cos, linear'],
    [['--scheduler', 'reducelronplateau', '--three-phase'], '--three-phase does not apply to ReduceLROnPlateau'],
    [['--group-lr', '1e-3,1e-4'], '--group-lr: expected 1 with one param group; add --param-groups per-layer'],
    [['--param-groups', 'per-layer', '--group-lr', '1e-3'], '--group-lr: expected one per Linear layer (2), got 1 value'],
    [['--group-momentum', '0.9'], '--group-momentum does not apply to Adam'],
    [['--param-groups', 'per-weight'], '--param-groups: expected one of single, per-layer'],
    [['--emit-pytorch', '-', '--json'], 'stdout is taken by --json']
  ])('%j is refused: %s', (argv, fragment) => {
    expect(() => parseLabArgs(argv)).toThrow(UsageError)
    expect(() => parseLabArgs(argv)).toThrow(fragment)
  })

  it.each([
    [['--scheduler', 'linearlr', '--start-factor', '0'], '--start-factor: Starting multiplicative factor expected to be greater than 0 and less or equal to 1.'],
    [['--scheduler', 'reducelronplateau', '--factor', '1'], '--factor: Factor should be < 1.0.'],
    [['--optimizer', 'adagrad', '--scheduler', 'onecyclelr', '--max-lr', '0.1'], 'add --no-cycle-momentum'],
    [['--scheduler', 'onecyclelr', '--max-lr', '0.1', '--pct-start', '2'], '--pct-start: Expected float between 0 and 1 pct_start, but got 2'],
    [['--scheduler', 'onecyclelr', '--max-lr', '0.1', '--total-steps', '3'], "--total-steps: OneCycleLR's total_steps (3) must be at least the run's steps (5)"],
    [['--scheduler', 'onecyclelr', '--max-lr', '0.1,0.2'], '--max-lr: must be a number or one number per param group (1)'],
    [['--scheduler', 'steplr', '--step-size', '0'], '--step-size: step_size must be a positive integer, got 0'],
    [['--scheduler', 'cosineannealinglr', '--t-max', '0'], '--t-max: T_max must be a positive integer, got 0'],
    [['--param-groups', 'per-layer', '--group-lr', '1e-3,1e-4,-1'], '--group-lr: Invalid learning rate: -1']
  ])('%j exits 2 with PyTorch\'s message on the flag: %s', (argv, message) => {
    expect(() => runLab([...SMALL, '--steps', '5', ...argv], () => {})).toThrow(message)
  })

  it('--help documents every new flag', () => {
    for (const flag of ['--scheduler', '--step-size', '--milestones', '--t-max', '--eta-min', '--start-factor', '--end-factor', '--total-iters',
      '--max-lr', '--patience', '--factor', '--param-groups', '--group-lr', '--emit-pytorch', 'lrs']) {
      expect(HELP, flag).toContain(flag)
    }
  })
})

describe('--json with a scheduler', () => {
  it('reports lrs[t][g] (the lr update t used) and last_lr, from the real-PyTorch fixture\'s run', () => {
    const run = loadFixture('2.13.0', 'schedulers').training.per_layer_sgd_exponential_tanh_mean
    const c = run.config
    const argv = ['--seed', String(c.seed), '--n', String(c.n), '--d-in', String(c.d_in), '--hidden', c.hidden.join(','), '--d-out', String(c.d_out),
      '--activation', c.activation, '--reduction', c.reduction, '--optimizer', 'sgd', '--lr', '0.05', '--param-groups', 'per-layer',
      '--group-lr', '0.2,0.05,0.01', '--group-momentum', '0,0,0.5', '--scheduler', 'exponentiallr', '--gamma', '0.95', '--steps', String(c.steps),
      '--json', '--kernels', 'typescript']
    const result = JSON.parse(lab(argv).stdout)
    expect(result.lrs).toEqual(run.lrs)
    expect(result.last_lr).toEqual(run.param_groups.map((g: { lr: number }) => g.lr))
    expect(result.param_groups.map((g: { initial_lr: number }) => g.initial_lr)).toEqual([0.2, 0.05, 0.01])
    expect(result.losses).toHaveLength(c.steps)
    expect(JSON.parse(lab([...SMALL, '--steps', '2', '--json']).stdout).lrs).toBeUndefined()
  })
})

describe('--emit-pytorch', () => {
  const argv = [...SMALL, '--optimizer', 'sgd', '--momentum', '0.9', '--scheduler', 'steplr', '--step-size', '2', '--steps', '4']

  it('writes the script and stops: nothing trained, nothing on stdout, a note on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emit-'))
    const path = join(dir, 'run.py')
    const { stdout, stderr, status } = lab([...argv, '--emit-pytorch', path])
    expect(status).toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toContain(`wrote ${path}`)
    expect(readFileSync(path, 'utf8')).toBe(pytorchScript(parseLabArgs(argv).config))
    expect(readdirSync(dir)).toEqual(['run.py'])
  })

  it('- writes it to stdout', () => {
    expect(lab([...argv, '--emit-pytorch', '-']).stdout).toBe(pytorchScript(parseLabArgs(argv).config))
  })

  it('with --json (or --export) it also trains, as without the flag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emit-'))
    const path = join(dir, 'run.py')
    const withScript = JSON.parse(lab([...argv, '--emit-pytorch', path, '--json', '--kernels', 'typescript']).stdout)
    const without = JSON.parse(lab([...argv, '--json', '--kernels', 'typescript']).stdout)
    expect(withScript.losses).toEqual(without.losses)
    expect(existsSync(path)).toBe(true)
    const session = new TrainingSession(parseLabArgs(argv).config)
    expect(withScript.losses).toEqual(Array.from({ length: 4 }, () => session.step()))
  })

  it('--steps 0 still writes the script (an empty loop)', () => {
    expect(lab([...SMALL, '--steps', '0', '--emit-pytorch', '-']).stdout).toContain('for t in range(0):')
  })

  it('from a shell: a bad flag writes nothing and exits 2 with one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emit-'))
    const path = join(dir, 'run.py')
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'lab.mjs'), '--emit-pytorch', path, '--scheduler', 'steplr'], { encoding: 'utf8' })
    expect(result.status).toBe(2)
    expect(result.stderr.trimEnd().split('\n')).toEqual(['lab: error: --scheduler steplr needs --step-size'])
    expect(existsSync(path)).toBe(false)
  })
})
