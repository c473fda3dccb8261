#!/usr/bin/env node
// `npm run bench`: the lesson's training loop (500 Adam steps, in-process loop time, data and
// initial weights made before the clock) with our engine on each backend, TensorFlow.js (cpu and
// wasm backends) and PyTorch (one thread) when a Python with torch is found; the same for a bigger
// network; ratios against our WebAssembly backend from the same run; peak memory of each.
// Every system runs in its own child process (fresh memory, its own peak RSS), one after another.
// Speed is reported, never asserted.
//
//   npm run bench -- [--runs 5] [--quick] [--json] [--skip ts,threads,tfjs-cpu,tfjs,torch,big,cli] [--ui] [--cold-rounds N] [--warm-rounds N]
//
// --runs N   timed runs per system after one warm-up run (median reported; default 5)
// --cold-rounds N  also N rounds of cold runs, each in a fresh process, alternating: `lab --json`'s
//            train_ms (one thread, and two) against PyTorch's first loop (scripts/bench/torch-run.py
//            cold), with the median of the per-round ratios (this VM's speed drifts between rounds)
// --warm-rounds N  also N alternating rounds of the lesson warm: our engine (relaxed SIMD, one
//            thread, and two) and PyTorch, each a fresh process timing 3 runs after its warm-up,
//            with the median of the per-round ratios (the table's systems run one after another,
//            minutes apart, and this VM's speed drifts between them)
// --quick    2 runs, lesson only, no TypeScript backend, no tfjs cpu, no CLI
// --skip     comma list of parts to leave out
// --json     one JSON object on stdout instead of the table
// --ui       also web mode's responsiveness (scripts/measure-ui.mjs: builds into out-perf, Chromium)
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { buildWasm } from './build-wasm.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cacheDir = join(root, 'node_modules', '.cache', 'optim-lab-bench')

function parseArgs(argv) {
  const options = { runs: 5, json: false, skip: new Set(), quick: false, ui: false, coldRounds: 0, warmRounds: 0 }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--json') options.json = true
    else if (arg === '--quick') options.quick = true
    else if (arg === '--ui') options.ui = true
    else if (arg === '--runs') options.runs = Number(argv[++i])
    else if (arg === '--cold-rounds') options.coldRounds = Number(argv[++i])
    else if (arg === '--warm-rounds') options.warmRounds = Number(argv[++i])
    else if (arg === '--skip') for (const part of (argv[++i] ?? '').split(',')) options.skip.add(part.trim())
    else if (arg === '--help') {
      console.log('npm run bench -- [--runs N] [--quick] [--json] [--skip ts,threads,tfjs-cpu,tfjs,torch,big,cli] [--ui] [--cold-rounds N] [--warm-rounds N]')
      process.exit(0)
    } else {
      console.error(`bench: unknown argument ${arg}`)
      process.exit(2)
    }
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) {
    console.error('bench: --runs needs a positive integer')
    process.exit(2)
  }
  if (!Number.isInteger(options.coldRounds) || options.coldRounds < 0) {
    console.error('bench: --cold-rounds needs a whole number')
    process.exit(2)
  }
  if (!Number.isInteger(options.warmRounds) || options.warmRounds < 0) {
    console.error('bench: --warm-rounds needs a whole number')
    process.exit(2)
  }
  if (options.quick) {
    options.runs = Math.min(options.runs, 2)
    for (const part of ['ts', 'tfjs-cpu', 'big', 'cli']) options.skip.add(part)
  }
  return options
}

const options = parseArgs(process.argv.slice(2))
const log = (text) => {
  if (!options.json) process.stderr.write(text + '\n')
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs `command args` and returns the last JSON line it printed (null on failure). */
function runJson(label, command, args, timeoutMs = 30 * 60_000) {
  log(`  running ${label} ...`)
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 })
  const line = (result.stdout ?? '').trim().split('\n').reverse().find((l) => l.startsWith('{'))
  if (result.status !== 0 || !line) {
    const why = result.error?.message ?? (result.stderr ?? '').trim().split('\n').slice(-3).join(' | ')
    log(`    ${label} failed: ${why}`)
    return { error: why || `exit ${result.status}` }
  }
  return JSON.parse(line)
}

async function bundle() {
  mkdirSync(cacheDir, { recursive: true })
  await buildWasm({ force: false, quiet: options.json })
  const engine = join(cacheDir, 'engine-run.mjs')
  const tfjs = join(cacheDir, 'tfjs-run.cjs')
  await build({
    entryPoints: [join(root, 'src-main', 'bench', 'engine-run.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: engine,
    logLevel: 'warning'
  })
  await build({
    entryPoints: [join(root, 'scripts', 'bench', 'tfjs-run.mjs')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // tfjs-core registers its gradients only in its ES modules; take every package's ES build.
    mainFields: ['module', 'main'],
    outfile: tfjs,
    logLevel: 'warning'
  })
  return { engine, tfjs }
}

function findTorchPython() {
  for (const python of [join(root, '.venv-torch', 'bin', 'python'), 'python3']) {
    if (python.includes('/') && !existsSync(python)) continue
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 })
    if (probe.status === 0) return { python, version: probe.stdout.trim() }
  }
  return null
}

function summarize(name, result, steps, scale = 1) {
  if (!result || result.error) return { name, error: result?.error ?? 'not run' }
  const wall = result.runs_ms.map((v) => v * scale)
  const cpu = result.cpu_ms.map((v) => v * scale)
  return {
    name,
    median_ms: median(wall),
    min_ms: Math.min(...wall),
    cpu_median_ms: median(cpu),
    runs_ms: wall.map((v) => Math.round(v * 10) / 10),
    steps,
    ...(scale !== 1 ? { extrapolated_from_steps: Math.round(steps / scale) } : {}),
    loss0: result.loss0,
    peak_rss_mb: result.peak_rss_kb / 1024,
    ...(result.wasm_memory_mb != null ? { wasm_memory_mb: result.wasm_memory_mb } : {}),
    ...(result.variant ? { variant: result.variant } : {}),
    ...(result.threads === 2 ? { threads: 2, helper_jobs: result.helper_jobs } : {}),
    ...(result.kernel_updates != null && result.kernels === 'wasm'
      ? { optimizer_in_wasm: result.kernel_updates > 0, fused_madd: result.fused_madd }
      : {})
  }
}

/** `node scripts/lab.mjs --json …flags`: what `npm run lab -- --json` runs. */
const labArgs = (flags) => [join(root, 'scripts', 'lab.mjs'), '--json', ...flags]

/** scripts/bench/torch-run.py's arguments for `config` (see its usage line). */
const torchArgs = (config, runs, ...rest) =>
  [join(root, 'scripts', 'bench', 'torch-run.py'), config.n, config.dIn, config.hidden[0], config.dOut, config.steps, runs, ...rest].map(String)

/**
 * Runs `systems` (name → [command, args, pick the time from its JSON]) `count` times, alternating,
 * each a fresh process; returns each system's median and the median of its per-round ratios to the
 * PyTorch system (a system that failed in a round is left out of that round's ratio).
 */
function alternatingRounds(title, count, systems) {
  log(`\n${title} rounds: ${count} × (${Object.keys(systems).join(', ')}), each a fresh process ...`)
  const rounds = []
  for (let i = 0; i < count; i++) {
    const round = {}
    for (const [name, [command, args, pick]] of Object.entries(systems)) {
      const result = runJson(`${name} (round ${i + 1})`, command, args)
      if (!result.error) round[name] = pick(result)
    }
    rounds.push(round)
  }
  const torchName = Object.keys(systems).find((name) => name.startsWith('PyTorch'))
  const summary = {}
  for (const name of Object.keys(systems)) {
    const ms = rounds.map((r) => r[name]).filter((v) => v != null)
    const ratios = torchName && name !== torchName ? rounds.filter((r) => r[name] != null && r[torchName] != null).map((r) => r[name] / r[torchName]) : []
    summary[name] = {
      median_ms: ms.length ? median(ms) : null,
      ms: ms.map((v) => Math.round(v)),
      ...(ratios.length ? { ratio_to_pytorch_median: median(ratios), ratios: ratios.map((v) => Math.round(v * 1000) / 1000) } : {})
    }
  }
  return { rounds: count, systems: summary }
}

/**
 * `--cold-rounds`: the issue's own comparison, `lab --json` train_ms against PyTorch's loop, both
 * cold (a fresh process each).
 */
function coldRounds(torch, node, lesson) {
  return alternatingRounds('cold', options.coldRounds, {
    'lab, 1 thread': [node, labArgs(['--kernels', 'wasm', '--threads', '1']), (r) => r.train_ms],
    ...(options.skip.has('threads') ? {} : { 'lab, 2 threads': [node, labArgs(['--kernels', 'wasm', '--threads', '2']), (r) => r.train_ms] }),
    ...(torch ? { [`PyTorch ${torch.version}, first loop`]: [torch.python, torchArgs(lesson, 1, 1, 'cold'), (r) => r.runs_ms[0]] } : {})
  })
}

/** Runs of the table's kind (after a warm-up) in each process of `--warm-rounds`. */
const WARM_ROUND_RUNS = 3

/** `--warm-rounds`: the table's warm loop times of the lesson, alternating (see the usage). */
function warmRounds(torch, node, engine, lesson) {
  const request = (threads) =>
    JSON.stringify({ backend: 'wasm', relaxedSimd: true, threads, n: lesson.n, dIn: lesson.dIn, hidden: lesson.hidden, dOut: lesson.dOut, steps: lesson.steps, runs: WARM_ROUND_RUNS, warmupSteps: 50 })
  const ours = (threads) => [node, ['--experimental-wasm-relaxed-simd', engine, request(threads)], (r) => median(r.runs_ms)]
  return alternatingRounds('warm', options.warmRounds, {
    'ours, relaxed SIMD, 1 thread': ours(1),
    ...(options.skip.has('threads') ? {} : { 'ours, relaxed SIMD, 2 threads': ours(2) }),
    ...(torch ? { [`PyTorch ${torch.version} (1 thread)`]: [torch.python, torchArgs(lesson, WARM_ROUND_RUNS), (r) => median(r.runs_ms)] } : {})
  })
}

async function main() {
  const started = Date.now()
  log('bench: bundling the engine and TensorFlow.js runners ...')
  const { engine, tfjs } = await bundle()
  const torch = options.skip.has('torch') ? null : findTorchPython()
  const wasmDir = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')
  const node = process.execPath
  const configs = [
    { name: 'lesson', n: 64, dIn: 1000, hidden: [100], dOut: 10, steps: 500 },
    ...(options.skip.has('big') ? [] : [{ name: 'big', n: 256, dIn: 784, hidden: [256], dOut: 10, steps: 500 }])
  ]
  const report = {
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memory_gb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      load_average_at_start: (await import('node:os')).loadavg().map((v) => Math.round(v * 100) / 100)
    },
    runs: options.runs,
    configs: {},
    cli: null,
    torch: torch ? torch.version : null
  }

  for (const config of configs) {
    const shape = { n: config.n, dIn: config.dIn, hidden: config.hidden, dOut: config.dOut }
    log(`\n${config.name}: x[${config.n},${config.dIn}] → Linear(${config.dIn},${config.hidden[0]}) → ReLU → Linear(${config.hidden[0]},${config.dOut}), MSELoss(sum), Adam(lr=1e-4), ${config.steps} steps`)
    const rows = []
    const engineRequest = (backend, relaxedSimd, runs, steps = config.steps, threads = 1) =>
      JSON.stringify({ backend, relaxedSimd, threads, ...shape, steps, runs, warmupSteps: Math.min(steps, 50) })
    rows.push(summarize('ours wasm (SIMD128)', runJson('ours wasm', node, [engine, engineRequest('wasm', false, options.runs)]), config.steps))
    // Node 20 ships relaxed SIMD behind a flag (Electron 45 / Chromium enable it by default).
    rows.push(
      summarize(
        'ours wasm (relaxed SIMD)',
        runJson('ours wasm relaxed', node, ['--experimental-wasm-relaxed-simd', engine, engineRequest('wasm', true, options.runs)]),
        config.steps
      )
    )
    if (!options.skip.has('threads')) {
      rows.push(
        summarize(
          'ours wasm (relaxed SIMD, 2 threads)',
          runJson('ours wasm relaxed 2 threads', node, ['--experimental-wasm-relaxed-simd', engine, engineRequest('wasm', true, options.runs, config.steps, 2)]),
          config.steps
        )
      )
    }
    if (!options.skip.has('ts') && config.name === 'lesson') {
      const runs = Math.min(options.runs, 3)
      rows.push(summarize('ours typescript', runJson('ours typescript', node, [engine, engineRequest('typescript', false, runs)]), config.steps))
    }
    if (torch) {
      rows.push(summarize(`PyTorch ${torch.version} (1 thread)`, runJson('pytorch', torch.python, torchArgs(config, options.runs)), config.steps))
    }
    if (!options.skip.has('tfjs')) {
      const tfjsRequest = (backend, runs, steps) => JSON.stringify({ backend, wasmDir, ...shape, steps, runs, warmupSteps: Math.min(steps, 20) })
      rows.push(summarize('TF.js 4.22 wasm (1 thread)', runJson('tfjs wasm', node, [tfjs, tfjsRequest('wasm', Math.min(options.runs, 3), config.steps)]), config.steps))
      if (!options.skip.has('tfjs-cpu') && config.name === 'lesson') {
        // ≈ 50 ms a step: 100 steps, scaled to 500.
        const steps = 100
        rows.push(summarize('TF.js 4.22 cpu', runJson('tfjs cpu', node, [tfjs, tfjsRequest('cpu', 2, steps)]), config.steps, config.steps / steps))
      }
    }
    const base = rows.find((r) => r.name === 'ours wasm (SIMD128)' && r.median_ms)
    for (const row of rows) if (row.median_ms && base) row.vs_ours_wasm = row.median_ms / base.median_ms
    report.configs[config.name] = rows
  }

  if (!options.skip.has('cli')) {
    // The CLI runs through tsx (not bundled), one run each: what `npm run lab -- --json` reports.
    log('\ncli: npm run lab -- --json (500 Adam steps) ...')
    report.cli = {}
    for (const [name, flags] of Object.entries({ wasm: ['--kernels', 'wasm', '--threads', '1'], 'wasm 2 threads': ['--kernels', 'wasm', '--threads', '2'], typescript: ['--kernels', 'typescript'] })) {
      if (name.includes('threads') && options.skip.has('threads')) continue
      const result = runJson(`lab ${flags.join(' ')}`, node, labArgs(flags))
      report.cli[name] = result.error ? { error: result.error } : { kernels: result.kernels, threads: result.threads, train_ms: result.train_ms, loss0: result.losses[0] }
    }
  }
  if (options.coldRounds > 0) report.cold = coldRounds(torch, node, configs[0])
  if (options.warmRounds > 0) report.warm = warmRounds(torch, node, engine, configs[0])
  if (options.ui) {
    log('\nweb mode: Train → first loss, frames while training 5 000 steps (scripts/measure-ui.mjs) ...')
    const { measureUi } = await import('./measure-ui.mjs')
    report.ui = await measureUi({ json: options.json, log, runs: Math.min(options.runs, 3) })
  }
  report.seconds = (Date.now() - started) / 1000

  if (options.json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n')
    return
  }
  const fmt = (v, digits = 0) => (v == null ? '-' : v.toFixed(digits))
  const out = []
  out.push(`\nmachine: ${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}; load average at start ${report.machine.load_average_at_start.join(' ')}`)
  for (const [name, rows] of Object.entries(report.configs)) {
    out.push(`\n${name} (median of ${options.runs} runs after a warm-up; TypeScript, TF.js: fewer)`)
    out.push(`${'system'.padEnd(36)} ${'median ms'.padStart(10)} ${'min ms'.padStart(9)} ${'cpu ms'.padStart(9)} ${'× ours wasm'.padStart(12)} ${'peak RSS MB'.padStart(12)}  loss[0]`)
    for (const row of rows) {
      if (row.error) {
        out.push(`${row.name.padEnd(36)} failed: ${row.error}`)
        continue
      }
      let note = row.extrapolated_from_steps ? ` (${row.extrapolated_from_steps} steps ×${row.steps / row.extrapolated_from_steps})` : ''
      if (row.optimizer_in_wasm === false) note += ' (Adam in TypeScript: optim/adam.ts does not call the kernels hook)'
      out.push(
        `${row.name.padEnd(36)} ${fmt(row.median_ms).padStart(10)} ${fmt(row.min_ms).padStart(9)} ${fmt(row.cpu_median_ms).padStart(9)} ${fmt(row.vs_ours_wasm, 2).padStart(12)} ${fmt(row.peak_rss_mb).padStart(12)}  ${row.loss0}${note}`
      )
    }
    // The issue's two ratios, from this run's medians.
    const find = (prefix) => rows.find((r) => r.name.startsWith(prefix) && r.median_ms)
    const ours = rows.filter((r) => r.name.startsWith('ours wasm') && r.median_ms)
    const torchRow = find('PyTorch')
    const tfjsRow = find('TF.js 4.22 wasm')
    for (const row of ours) {
      const parts = []
      if (torchRow) parts.push(`${fmt(row.median_ms / torchRow.median_ms, 2)} × PyTorch's time`)
      if (tfjsRow) parts.push(`${fmt(tfjsRow.median_ms / row.median_ms, 1)} × faster than TF.js wasm`)
      if (parts.length) out.push(`  ${row.name}: ${parts.join(', ')}`)
    }
  }
  if (!torch && !options.skip.has('torch')) {
    out.push('\nPyTorch: no Python with torch found (tried .venv-torch/bin/python, python3). To compare:')
    out.push('  python3 -m venv .venv-torch && .venv-torch/bin/pip install torch')
  }
  if (report.cli) {
    out.push('\nnpm run lab -- --json (through tsx, one run):')
    for (const [name, r] of Object.entries(report.cli)) out.push(`  ${name.padEnd(16)} ${r.error ? 'failed: ' + r.error : `train_ms ${r.train_ms.toFixed(0)}  (kernels: ${r.kernels}, ${r.threads} thread${r.threads === 1 ? '' : 's'})`}`)
  }
  const printRounds = (rounds, heading) => {
    out.push(`\n${heading}:`)
    for (const [name, r] of Object.entries(rounds.systems)) {
      const ratio = r.ratio_to_pytorch_median != null ? `; per-round ratio to PyTorch: median ${fmt(r.ratio_to_pytorch_median, 2)} (${r.ratios.map((v) => v.toFixed(2)).join(' ')})` : ''
      out.push(`  ${name.padEnd(34)} median ${fmt(r.median_ms)} ms (${r.ms.join(' ')})${ratio}`)
    }
  }
  if (report.cold) printRounds(report.cold, `cold runs, ${report.cold.rounds} alternating rounds (a fresh process each; lesson, 500 steps)`)
  if (report.warm) printRounds(report.warm, `warm runs, ${report.warm.rounds} alternating rounds (a fresh process each, the median of ${WARM_ROUND_RUNS} runs after a warm-up; lesson, 500 steps)`)
  out.push(`\n(${report.seconds.toFixed(0)} s)`)
  console.log(out.join('\n'))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
