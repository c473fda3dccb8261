#!/usr/bin/env node
/**
 * The code the app shows beside each of the five rungs (engine/lesson/rungs.ts `rungSource`) is
 * real code: this runs every rung's Python with REAL numpy and PyTorch (.venv-torch/bin/python,
 * or $PYTHON), reads its "t loss" lines and compares them with our rungs (float32: within 1e-6
 * relative, the SGD family's tolerance).
 *
 * Usage (repo root):  node scripts/torch/check_rungs.mjs
 * Writes tests/fixtures/torch-2.13.0/rungs.json (the losses numpy/PyTorch printed, never ours),
 * replayed by tests/engine/lesson/rungs.test.ts. Exit status 1 if a comparison fails.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { register } from 'tsx/esm/api'

register()
const root = join(import.meta.dirname, '..', '..')
const { RUNGS, RUNG_DEFAULTS, rungSource, runRung } = await import('../../src-main/engine/lesson/rungs.ts')
const python = process.env.PYTHON ?? join(root, '.venv-torch', 'bin', 'python')
const out = join(root, 'tests', 'fixtures', 'torch-2.13.0', 'rungs.json')
const work = mkdtempSync(join(tmpdir(), 'rungs-'))

const CONFIGS = {
  lesson: { ...RUNG_DEFAULTS, steps: 50 },
  small_seed7: { seed: 7, n: 16, dIn: 20, hidden: 12, dOut: 3, lr: 2e-3, steps: 60 }
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`)
  return result.stdout
}
const rel = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)))

const versions = run(python, ['-c', 'import numpy, torch; print(numpy.__version__, torch.__version__)']).trim().split(' ')
const fixture = {
  schema: 'optim-lab/rungs/v1',
  meta: { numpy_version: versions[0], torch_version: versions[1], generated_by: 'scripts/torch/check_rungs.mjs',
    note: "losses printed by real numpy / PyTorch running rungSource(index, config); float32 values (numpy prints them as float32's shortest repr: apply Math.fround)" },
  configs: {}
}
let failures = 0
for (const [name, config] of Object.entries(CONFIGS)) {
  const rungs = {}
  for (const { index } of RUNGS) {
    const source = rungSource(index, config)
    const path = join(work, `${name}_rung${index}.py`)
    writeFileSync(path, source)
    const losses = run(python, [path]).trimEnd().split('\n').map((line) => Math.fround(Number(line.split(' ')[1])))
    const ours = runRung(index, config)
    const worst = Math.max(...ours.map((loss, t) => rel(loss, losses[t])))
    const ok = ours.length === losses.length && worst <= 1e-6
    if (!ok) failures++
    console.log(`${name} rung ${index}: ${losses.length} steps, largest rel difference ${worst.toExponential(2)}${ok ? '' : ' FAIL'}`)
    rungs[index] = { source_sha256: createHash('sha256').update(source).digest('hex'), losses }
  }
  fixture.configs[name] = { config, rungs }
}
writeFileSync(out, JSON.stringify(fixture) + '\n')
console.log(`wrote ${out}; ${failures} failure(s)`)
process.exitCode = failures ? 1 : 0
