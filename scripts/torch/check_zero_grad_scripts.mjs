#!/usr/bin/env node
/**
 * `--zero-grad` against REAL PyTorch: for each configuration below (lab flags) this emits the
 * PyTorch script (`lab ... --emit-pytorch`), runs it with .venv-torch/bin/python (or $PYTHON),
 * reads its "t loss" lines and compares them with `lab ... --json` (float32 within 1e-4 relative
 * over the first 30 steps). 'skip' scripts have the zero_grad() line commented out, 'zeros' call
 * zero_grad(set_to_none=False): PyTorch itself shows what leaving it out does.
 *
 * Usage (repo root):  node scripts/torch/check_zero_grad_scripts.mjs
 * Writes tests/fixtures/torch-2.13.0/zero_grad_scripts.json (PyTorch's losses only), which
 * tests/shared/zero-grad.test.ts replays through the engine. Exit status 1 if a comparison fails.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { register } from 'tsx/esm/api'

register()
const root = join(import.meta.dirname, '..', '..')
const { parseLabArgs } = await import('../../src-main/cli/args.ts')
const python = process.env.PYTHON ?? join(root, '.venv-torch', 'bin', 'python')
const out = join(root, 'tests', 'fixtures', 'torch-2.13.0', 'zero_grad_scripts.json')
const work = mkdtempSync(join(tmpdir(), 'zero-grad-'))

const SMALL = ['--n', '32', '--d-in', '20', '--hidden', '16', '--d-out', '4']
const RUNS = {}
for (const mode of ['set_to_none', 'zeros', 'skip']) {
  // The tutorial (Adam, lr 1e-4) and its SGD variant, at the lesson's sizes.
  RUNS[`lesson_adam_${mode}`] = ['--zero-grad', mode, '--steps', '30']
  RUNS[`lesson_sgd_${mode}`] = ['--optimizer', 'sgd', '--lr', '1e-6', '--zero-grad', mode, '--steps', '30']
  // Small, mean reduction, SGD with momentum: accumulated gradients feed the momentum buffer.
  RUNS[`small_sgd_momentum_mean_${mode}`] = [...SMALL, '--seed', '3', '--reduction', 'mean', '--optimizer', 'sgd', '--lr', '0.01',
    '--momentum', '0.9', '--zero-grad', mode, '--steps', '30']
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`)
  return result.stdout
}
const lab = (argv) => run(process.execPath, [join(root, 'scripts', 'lab.mjs'), ...argv], { cwd: root })
const parseLossLines = (text) => text.trimEnd().split('\n').map((line) => Number(line.split(' ')[1]))
const rel = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)))

const fixture = {
  schema: 'optim-lab/zero-grad-scripts/v1',
  meta: {
    torch_version: run(python, ['-c', 'import torch; print(torch.__version__)']).trim(),
    generated_by: 'scripts/torch/check_zero_grad_scripts.mjs',
    note: 'losses printed by real PyTorch running the scripts `lab --emit-pytorch` wrote for each argv (--zero-grad set_to_none|zeros|skip)'
  },
  runs: {}
}
let failures = 0
for (const [name, argv] of Object.entries(RUNS)) {
  const { config } = parseLabArgs(argv)
  const scriptPath = join(work, `${name}.py`)
  lab([...argv, '--emit-pytorch', scriptPath])
  const script = readFileSync(scriptPath, 'utf8')
  const torchLosses = parseLossLines(run(python, [scriptPath]))
  const ours = JSON.parse(lab([...argv, '--json'])).losses
  const worst = Math.max(...ours.slice(0, 30).map((l, t) => rel(l, torchLosses[t])))
  const ok = ours.length === torchLosses.length && worst <= 1e-4
  if (!ok) failures++
  console.log(`${name.padEnd(36)} worst rel ${worst.toExponential(2)} last torch ${torchLosses.at(-1)}${ok ? '' : ' FAIL'}`)
  fixture.runs[name] = { argv, config, zero_grad_line: script.split('\n').find((l) => l.includes('zero_grad')).trim(), losses: torchLosses }
}
writeFileSync(out, JSON.stringify(fixture, null, 1) + '\n')
console.log(`wrote ${out}`)
process.exitCode = failures ? 1 : 0
