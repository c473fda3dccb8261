#!/usr/bin/env node
/**
 * Does the generated PyTorch script (shared/pytorch-script.ts) reproduce runs on the synthetic 2-D
 * sets and on imported CSV data? For each configuration below this writes the script, runs it with
 * REAL PyTorch (.venv-torch/bin/python, or $PYTHON), reads its "t loss" lines and keeps them with
 * the script's sha256 in tests/fixtures/torch-2.13.0/data_scripts.json; tests/shared/
 * pytorch-script-data.test.ts regenerates each script (same sha256) and trains the engine on the
 * same configuration against PyTorch's printed losses. Numbers in the fixture come only from PyTorch.
 *
 * Usage (repo root):  node scripts/torch/check_data_scripts.mjs
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { register } from 'tsx/esm/api'

register()
const root = join(import.meta.dirname, '..', '..')
const { pytorchScript } = await import('../../src-main/shared/pytorch-script.ts')
const python = process.env.PYTHON ?? join(root, '.venv-torch', 'bin', 'python')
const work = mkdtempSync(join(tmpdir(), 'data-scripts-'))

const base = {
  seed: 3, n: 120, dIn: 2, hidden: [16], dOut: 2, activation: 'relu', reduction: 'mean', dtype: 'float32',
  optimizer: 'Adam', hyper: { lr: 0.01 }, steps: 40, loss: 'cross_entropy', data: { kind: 'moons', noise: 0.1 }
}
const CONFIGS = {
  moons_adam: base,
  moons_no_noise_tanh: { ...base, activation: 'tanh', data: { kind: 'moons', noise: 0 } },
  circles_sgd_float64: { ...base, dtype: 'float64', optimizer: 'SGD', hyper: { lr: 0.1, momentum: 0.9 }, data: { kind: 'circles', noise: 0.05 } },
  spiral_4_sum: { ...base, n: 101, dOut: 4, hidden: [32, 16], reduction: 'sum', hyper: { lr: 0.002 }, data: { kind: 'spiral', noise: 0.2, classes: 4 } },
  csv_classes: { ...base, n: 6, data: { kind: 'csv', task: 'classification', name: 'blobs.csv', x: [0, 0, 0.1, 0.2, 0.2, -0.1, 1, 1, 1.1, 0.9, 0.9, 1.2], y: [0, 0, 0, 1, 1, 1] } },
  csv_regression: { ...base, n: 3, dIn: 2, dOut: 2, loss: 'mse', data: { kind: 'csv', task: 'regression', name: 'r.csv', x: [0.5, 1, 2, 3, 4, 5], y: [1, 2, 3, 4, 5, 6.25] } }
}

const runs = {}
for (const [name, config] of Object.entries(CONFIGS)) {
  const script = pytorchScript(config)
  const file = join(work, `${name}.py`)
  writeFileSync(file, script)
  const result = spawnSync(python, [file], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${name}: ${result.stderr}`)
  const losses = result.stdout.trim().split('\n').map((line) => Number(line.split(' ')[1]))
  runs[name] = { config, script_sha256: createHash('sha256').update(script).digest('hex'), losses }
  console.log(name, losses.length, 'steps, first', losses[0], 'last', losses.at(-1))
}
const torch = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim()
writeFileSync(
  join(root, 'tests', 'fixtures', 'torch-2.13.0', 'data_scripts.json'),
  JSON.stringify({ schema: 'optim-lab/data-scripts/v1', generated_by: 'scripts/torch/check_data_scripts.mjs', torch, runs }, null, 1) + '\n'
)
