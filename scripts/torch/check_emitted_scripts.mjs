#!/usr/bin/env node
/**
 * Does `lab --emit-pytorch` hand students a script that reproduces the app's run? For each
 * configuration below (given as lab flags) this
 *
 *   1. emits the PyTorch script (`npm run lab -- <flags> --emit-pytorch run.py`),
 *   2. runs it with REAL PyTorch (.venv-torch/bin/python, or $PYTHON) and reads its "t loss" lines,
 *   3. runs `npm run lab -- <flags> --json` with both compute backends (auto = WebAssembly where
 *      available, and typescript) and compares: float32 within 1e-4 relative over the first 30
 *      steps, float64 within 1e-9 over every step;
 *      float32 only: a configuration can amplify rounding noise by itself. To see that, PyTorch
 *      also runs the script three more times with a one-ulp nudge (every initial weight up, every
 *      weight down, x up); the largest relative change over the first 30 steps is the run's
 *      `self_envelope`, PyTorch against itself. Where that exceeds 1e-4 the run is *chaotic*: no
 *      float32 implementation that sums in another order can promise 1e-4 there, so such a run is
 *      held to 1e-2 (DESIGN's loosest family tolerance, a bound that still catches formula bugs)
 *      and reported with its envelope;
 *   4. checks the weights snippet: `lab <flags> --steps K --export w.json`, then PyTorch loads the
 *      file with `loadWeightsSnippet()`, evaluates the loss on the seed's data (must equal the
 *      file's final_loss) and resumes the optimizer for a few more steps, which must match the
 *      engine continuing the same way (optimizer state resumed, scheduler not).
 *
 * Usage (repo root):  node scripts/torch/check_emitted_scripts.mjs
 * Writes tests/fixtures/torch-2.13.0/emitted_scripts.json: the losses PyTorch printed (never our
 * engine's), which tests/shared/emitted-scripts.test.ts replays through the engine in `npm test`.
 * Exit status 1 if any comparison fails.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { register } from 'tsx/esm/api'

register()
const root = join(import.meta.dirname, '..', '..')
const { parseLabArgs } = await import('../../src-main/cli/args.ts')
const { loadWeightsSnippet } = await import('../../src-main/shared/pytorch-script.ts')
const { TrainingSession } = await import('../../src-main/engine/train/session.ts')

/** `before` lab steps, then `after` plain optimizer steps without the scheduler; the losses of the latter. */
function resumeInEngine(config, before, after) {
  const session = new TrainingSession(config)
  for (let t = 0; t < before; t++) session.step()
  const losses = []
  for (let k = 0; k < after; k++) {
    const loss = session.lossFn.call(session.model.forward(session.x), session.y)
    losses.push(loss.item())
    session.optimizer.zeroGrad()
    loss.backward()
    session.optimizer.step()
  }
  return losses
}
const python = process.env.PYTHON ?? join(root, '.venv-torch', 'bin', 'python')
const out = join(root, 'tests', 'fixtures', 'torch-2.13.0', 'emitted_scripts.json')
const work = mkdtempSync(join(tmpdir(), 'emitted-'))

const LESSON = []
const MEDIUM = ['--n', '64', '--d-in', '200', '--d-out', '10']
const SMALL = ['--n', '32', '--d-in', '20', '--d-out', '4']

/** name → lab flags. The first six are the "done means"; the rest widen the net. */
const RUNS = {
  // several hidden layers, tanh, mean, RMSprop with momentum and StepLR (at the lesson's lr)
  deep_tanh_mean_rmsprop_momentum_steplr: [...LESSON, '--seed', '1', '--hidden', '100,50,25', '--activation', 'tanh', '--reduction', 'mean',
    '--optimizer', 'rmsprop', '--lr', '1e-4', '--momentum', '0.9', '--scheduler', 'steplr', '--step-size', '10', '--gamma', '0.5', '--steps', '60'],
  // the same at lr 1e-3: chaotic in float32 (a one-ulp nudge moves PyTorch's own curve ~1e-3 by step 30)
  deep_tanh_mean_rmsprop_momentum_steplr_lr1e3: [...LESSON, '--seed', '1', '--hidden', '100,50,25', '--activation', 'tanh', '--reduction', 'mean',
    '--optimizer', 'rmsprop', '--lr', '1e-3', '--momentum', '0.9', '--scheduler', 'steplr', '--step-size', '10', '--gamma', '0.5', '--steps', '60'],
  // AdamW with custom betas
  adamw_custom_betas: [...LESSON, '--seed', '2', '--optimizer', 'adamw', '--lr', '1e-3', '--betas', '0.8,0.95', '--steps', '60'],
  // float64 SGD-Nesterov with CosineAnnealingLR
  float64_sgd_nesterov_cosine: [...LESSON, '--seed', '3', '--dtype', 'float64', '--optimizer', 'sgd', '--lr', '1e-6', '--momentum', '0.9',
    '--nesterov', '--scheduler', 'cosineannealinglr', '--t-max', '50', '--steps', '100'],
  several_hidden_tanh_mean_adam: [...MEDIUM, '--seed', '4', '--hidden', '128,64,32', '--activation', 'tanh', '--reduction', 'mean',
    '--optimizer', 'adam', '--lr', '1e-3', '--steps', '60'],
  lesson_default_adam: [...LESSON, '--steps', '60'],
  float64_deep_tanh_mean_rmsprop_steplr: [...MEDIUM, '--seed', '5', '--dtype', 'float64', '--hidden', '64,32,16', '--activation', 'tanh',
    '--reduction', 'mean', '--optimizer', 'rmsprop', '--lr', '1e-3', '--momentum', '0.9', '--scheduler', 'steplr', '--step-size', '10',
    '--gamma', '0.5', '--steps', '100'],
  // more: groups, every scheduler, other optimizers and activations
  per_layer_sgd_onecycle_sigmoid: [...MEDIUM, '--seed', '6', '--hidden', '50', '--activation', 'sigmoid', '--optimizer', 'sgd', '--lr', '1e-3',
    '--param-groups', 'per-layer', '--group-lr', '1e-2,1e-3', '--scheduler', 'onecyclelr', '--max-lr', '5e-3,1e-3', '--steps', '60'],
  per_layer_adam_group_weight_decay_linearlr_leaky: [...MEDIUM, '--seed', '7', '--hidden', '64,32', '--activation', 'leaky_relu',
    '--optimizer', 'adam', '--lr', '1e-3', '--param-groups', 'per-layer', '--group-weight-decay', '0.01,0,0.1', '--scheduler', 'linearlr',
    '--start-factor', '0.1', '--total-iters', '20', '--steps', '60'],
  plateau_adam_high_lr: [...SMALL, '--seed', '8', '--hidden', '16', '--optimizer', 'adam', '--lr', '0.05', '--scheduler', 'reducelronplateau',
    '--patience', '2', '--factor', '0.5', '--steps', '60'],
  multisteplr_sgd_momentum_dampening: [...MEDIUM, '--seed', '9', '--hidden', '32', '--reduction', 'mean', '--optimizer', 'sgd', '--lr', '0.05',
    '--momentum', '0.9', '--dampening', '0.1', '--weight-decay', '1e-3', '--scheduler', 'multisteplr', '--milestones', '15,30,30',
    '--gamma', '0.5', '--steps', '60'],
  float64_nadam_exponentiallr: [...MEDIUM, '--seed', '10', '--dtype', 'float64', '--hidden', '40', '--optimizer', 'nadam', '--lr', '2e-3',
    '--scheduler', 'exponentiallr', '--gamma', '0.97', '--steps', '100'],
  adamax_onecycle_three_phase_linear: [...SMALL, '--seed', '11', '--hidden', '24,12', '--optimizer', 'adamax', '--lr', '2e-3',
    '--scheduler', 'onecyclelr', '--max-lr', '1e-2', '--three-phase', '--anneal-strategy', 'linear', '--pct-start', '0.25', '--steps', '60'],
  radam_cosine_restart: [...SMALL, '--seed', '12', '--hidden', '16', '--activation', 'tanh', '--optimizer', 'radam', '--lr', '1e-2',
    '--scheduler', 'cosineannealinglr', '--t-max', '10', '--eta-min', '1e-4', '--steps', '60'],
  amsgrad_single_group_override: [...MEDIUM, '--seed', '13', '--hidden', '32', '--optimizer', 'adam', '--lr', '1e-3', '--amsgrad',
    '--group-lr', '3e-3', '--steps', '60'],
  no_hidden_sgd_negative_seed: ['--seed', '-5', ...SMALL, '--hidden', 'none', '--optimizer', 'sgd', '--lr', '1e-3', '--steps', '60'],
  float64_per_layer_adagrad_steplr: [...SMALL, '--seed', '14', '--dtype', 'float64', '--hidden', '16,8', '--optimizer', 'adagrad',
    '--lr', '0.1', '--param-groups', 'per-layer', '--group-lr', '0.1,0.05,0.01', '--group-lr-decay', '0,0.01,0', '--scheduler', 'steplr',
    '--step-size', '20', '--steps', '100'],
  float64_adadelta_onecycle_no_cycle_momentum: [...SMALL, '--seed', '15', '--dtype', 'float64', '--hidden', '16', '--activation', 'sigmoid',
    '--optimizer', 'adadelta', '--lr', '1.0', '--scheduler', 'onecyclelr', '--max-lr', '2.0', '--no-cycle-momentum', '--steps', '100']
}

/** Weights snippet checks: train K steps in the lab, export, resume in PyTorch for R more. */
const RESUME = {
  resume_adam_per_layer_steplr: { run: 'per_layer_adam_group_weight_decay_linearlr_leaky', before: 20, after: 10 },
  resume_float64_sgd_nesterov: { run: 'float64_sgd_nesterov_cosine', before: 30, after: 10 }
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`)
  return result.stdout
}

const lab = (argv) => run(process.execPath, [join(root, 'scripts', 'lab.mjs'), ...argv], { cwd: root })
const parseLossLines = (text) => text.trimEnd().split('\n').map((line) => Number(line.split(' ')[1]))

/** One-ulp nudges of the initial state, inserted right before `loss_fn = ...` in an emitted script. */
const NUDGES = {
  weights_up: "    for p in model.parameters():\n        p.copy_(torch.nextafter(p, torch.full_like(p, float('inf'))))",
  weights_down: "    for p in model.parameters():\n        p.copy_(torch.nextafter(p, torch.full_like(p, float('-inf'))))",
  x_up: "    x.copy_(torch.nextafter(x, torch.full_like(x, float('inf'))))"
}

/** The largest relative change of PyTorch's own first-30-step curve under the nudges. */
function selfEnvelope(script, name, reference) {
  let worst = 0
  for (const [nudge, code] of Object.entries(NUDGES)) {
    const path = join(work, `${name}.${nudge}.py`)
    writeFileSync(path, script.replace('\nloss_fn =', `\nwith torch.no_grad():  # one-ulp nudge: ${nudge}\n${code}\nloss_fn =`))
    const nudged = parseLossLines(run(python, [path]))
    for (let t = 0; t < Math.min(30, nudged.length); t++) worst = Math.max(worst, rel(nudged[t], reference[t]))
  }
  return worst
}
const rel = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)))

const torchVersion = run(python, ['-c', 'import torch; print(torch.__version__)']).trim()
const fixture = {
  schema: 'optim-lab/emitted-scripts/v1',
  meta: {
    torch_version: torchVersion,
    generated_by: 'scripts/torch/check_emitted_scripts.mjs',
    note: 'losses printed by real PyTorch running the scripts `lab --emit-pytorch` wrote for each argv'
  },
  runs: {},
  resume: {}
}
let failures = 0
const rows = []

for (const [name, argv] of Object.entries(RUNS)) {
  const { config } = parseLabArgs(argv)
  const scriptPath = join(work, `${name}.py`)
  lab([...argv, '--emit-pytorch', scriptPath])
  const script = readFileSync(scriptPath, 'utf8')
  const torchLosses = parseLossLines(run(python, [scriptPath]))
  const envelope = config.dtype === 'float32' ? selfEnvelope(script, name, torchLosses) : 0
  const row = { name, dtype: config.dtype, steps: config.steps, self_envelope: config.dtype === 'float32' ? envelope.toExponential(2) : '' }
  for (const kernels of ['auto', 'typescript']) {
    const result = JSON.parse(lab([...argv, '--json', '--kernels', kernels]))
    const ours = result.losses
    const horizon = config.dtype === 'float64' ? ours.length : Math.min(30, ours.length)
    const chaotic = envelope > 1e-4
    const limit = config.dtype === 'float64' ? 1e-9 : chaotic ? 1e-2 : 1e-4
    let worst = 0
    let worstAll = 0
    for (let t = 0; t < ours.length; t++) {
      const r = rel(ours[t], torchLosses[t])
      if (t < horizon) worst = Math.max(worst, r)
      worstAll = Math.max(worstAll, r)
    }
    const ok = ours.length === torchLosses.length && worst <= limit
    if (!ok) failures++
    const note = ok ? (chaotic ? ` (chaotic: ${(worst / envelope).toFixed(1)}× self-envelope)` : '') : ' FAIL'
    row[`${result.kernels}`] = `${worst.toExponential(2)} (all ${ours.length}: ${worstAll.toExponential(2)})${note}`
  }
  rows.push(row)
  fixture.runs[name] = {
    argv,
    config,
    script_sha256: createHash('sha256').update(script).digest('hex'),
    ...(config.dtype === 'float32' ? { self_envelope: envelope } : {}),
    losses: torchLosses
  }
}

for (const [name, { run: base, before, after }] of Object.entries(RESUME)) {
  const argv = RUNS[base]
  const weights = join(work, `${name}.json`)
  const stepsFlag = argv.indexOf('--steps')
  const head = [...argv.slice(0, stepsFlag), ...argv.slice(stepsFlag + 2)]
  // The lab trains `before` steps (scheduler included) and exports; PyTorch resumes from the file.
  lab([...head, '--steps', String(before), '--export', weights, '--json'])
  const file = JSON.parse(readFileSync(weights, 'utf8'))
  const { config } = parseLabArgs(argv)
  const snippet = loadWeightsSnippet(file.architecture, weights)
  const cast = config.dtype === 'float64' ? 'x, y = x.double(), y.double()' : ''
  const program = `${snippet}
# the seed's data, drawn exactly as the lab draws it
torch.set_num_threads(1)
torch.manual_seed(${config.seed})
x = torch.randn(${config.n}, ${config.dIn})
y = torch.randn(${config.n}, ${config.dOut})
${cast}
loss_fn = torch.nn.MSELoss(reduction="${config.reduction}")
with torch.no_grad():
    print("final", loss_fn(model(x), y).item())
for t in range(${before}, ${before + after}):
    loss = loss_fn(model(x), y)
    print(t, loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
`
  const programPath = join(work, `${name}.py`)
  writeFileSync(programPath, program)
  const lines = run(python, [programPath]).trimEnd().split('\n')
  const finalLoss = Number(lines[0].split(' ')[1])
  const resumed = lines.slice(1).map((line) => Number(line.split(' ')[1]))
  // The engine, continuing the same way: the optimizer resumed, the scheduler not (the snippet
  // loads weights and optimizer state only, so the lrs stay at the exported param_groups' values).
  const expected = resumeInEngine({ ...config, steps: before }, before, after)
  const limit = config.dtype === 'float64' ? 1e-9 : 1e-4
  const worst = Math.max(...resumed.map((loss, k) => rel(loss, expected[k])))
  const finalRel = rel(finalLoss, file.meta.final_loss)
  const ok = finalRel <= (config.dtype === 'float64' ? 1e-12 : 1e-6) && resumed.length === after && worst <= limit
  if (!ok) failures++
  rows.push({ name, dtype: config.dtype, steps: `${before}+${after}`, auto: `final_loss ${finalRel.toExponential(2)}, resumed ${worst.toExponential(2)}${ok ? '' : ' FAIL'}` })
  fixture.resume[name] = {
    argv: [...head, '--steps', String(before)],
    resumed_from: before,
    final_loss: finalLoss,
    resumed_losses: resumed
  }
}

console.table(rows)
writeFileSync(out, JSON.stringify(fixture) + '\n')
console.log(`wrote ${out}; ${failures} failure(s); torch ${torchVersion}; scripts in ${work}`)
process.exitCode = failures ? 1 : 0
