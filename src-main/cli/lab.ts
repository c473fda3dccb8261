/**
 * The headless `lab` command (DESIGN §5): trains the lesson's network and prints `t loss` lines,
 * or one JSON object with `--json`; `--export` writes the weights file; `--emit-pytorch` writes the
 * run as a PyTorch script (and trains only if --json or --export asks for results as well).
 */
import { writeFileSync, renameSync, rmSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { dirname, basename, join } from 'node:path'
import { selectKernels } from '../engine/kernels/select'
import type { WasmKernels } from '../engine/kernels/wasm-kernels'
import { spawnNodeKernelThread } from '../host/node-kernel-thread'
import { createOptimizer, type Optimizer } from '../engine/optim'
import { createScheduler } from '../engine/optim/lr-scheduler'
import { Parameter } from '../engine/tensor/tensor'
import { TrainingSession } from '../engine/train/session'
import { buildOptimizer } from '../engine/train/optimizer-setup'
import { LESSON_CONFIG, SCHEDULER_SPECS, layerWidths, paramGroupLayout, type LabConfig, type SchedulerOptionName } from '../shared/config'
import { formatPythonFloat } from '../shared/python-format'
import { pytorchScript } from '../shared/pytorch-script'
import { ConfigError, validateConfig } from '../shared/validate'
import { HELP, UsageError, flagOf, parseLabArgs, schedulerFlagOf, type LabOptions } from './args'

const CONFIG_FLAGS: Record<string, string> = { n: '--n', d_in: '--d-in', d_out: '--d-out', memory: '--max-memory' }

/** Checks everything before the big tensors are allocated; throws UsageError naming the flag. */
function validate(options: LabOptions): void {
  const { config } = options
  try {
    validateConfig(config, options.maxMemoryBytes)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    throw new UsageError(`${CONFIG_FLAGS[error.field] ?? flagOf(error.field)}: ${error.message}`)
  }
  // The optimizer's own constructor checks ranges with PyTorch's messages; try it on one weight.
  try {
    createOptimizer(config.optimizer, [new Parameter(new Float32Array(1), [1])], config.hyper)
  } catch (error) {
    const message = (error as Error).message
    const key = Object.keys(config.hyper).find((k) => message.toLowerCase().includes(k.replace(/_/g, ' ')) || message.includes(k))
    throw new UsageError(`${key ? flagOf(key) : '--optimizer'}: ${message}`)
  }
  const optimizer = validateGroups(config)
  if (config.scheduler) validateScheduler(config, optimizer)
}

const probe = (): Parameter[] => [new Parameter(new Float32Array(1), [1])]

/** Each group's values, checked by the optimizer's constructor; returns the optimizer on probe weights. */
function validateGroups(config: LabConfig): Optimizer {
  try {
    return buildOptimizer(config, paramGroupLayout(config).map(probe))
  } catch (error) {
    const message = (error as Error).message
    const keys = [...new Set((config.groupHyper ?? []).flatMap((entry) => Object.keys(entry ?? {})))]
    const key = keys.find((k) => message.includes(k) || message.toLowerCase().includes(k === 'lr' ? 'learning rate' : k.replace(/_/g, ' ')))
    throw new UsageError(`${flagOf(`group_${key ?? keys[0] ?? 'lr'}`)}: ${message}`)
  }
}

/** PyTorch messages that name no option, and the option they are about. */
const SCHEDULER_MESSAGES: [RegExp, SchedulerOptionName][] = [
  [/^Starting multiplicative factor/, 'start_factor'],
  [/^Ending multiplicative factor/, 'end_factor'],
  [/^Factor should be/, 'factor'],
  [/^threshold mode /, 'threshold_mode'],
  [/^mode /, 'mode'],
  [/min_lrs/, 'min_lr']
]

/** The scheduler's constructor on probe weights: PyTorch's messages, named by flag. */
function validateScheduler(config: LabConfig, optimizer: Optimizer): void {
  const scheduler = config.scheduler!
  try {
    createScheduler(optimizer, scheduler, config.steps)
  } catch (error) {
    const message = (error as Error).message
    if (/momentum or beta1/.test(message)) {
      throw new UsageError(`--scheduler: ${message} (${config.optimizer} has neither: add --no-cycle-momentum)`)
    }
    const option =
      SCHEDULER_MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ??
      SCHEDULER_SPECS[scheduler.kind].options.find((o) => new RegExp(`\\b${o}\\b`).test(message))
    throw new UsageError(`${(option && schedulerFlagOf(option)) ?? '--scheduler'}: ${message}`)
  }
}

function writeAtomically(path: string, contents: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    writeFileSync(temp, contents)
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

/**
 * Runs the command: `out` receives stdout, `err` progress notes meant for stderr. Returns the exit
 * status; bad flags throw UsageError.
 */
/** Multiply-adds of one training step's matrix products: forward, and two products per layer backward. */
export function stepMultiplyAdds(config: Pick<LabConfig, 'n' | 'dIn' | 'hidden' | 'dOut'>): number {
  const widths = layerWidths(config)
  let weights = 0
  for (let i = 1; i < widths.length; i++) weights += widths[i - 1] * widths[i]
  return 3 * config.n * weights
}

/**
 * A run's multiply-adds from which a helper thread pays on 2 or 3 cores: about 2 000 of the
 * lesson's steps. While the engine is cold the helper shares the second core with V8's background
 * compiler, so a short run is slower with it (the lesson's 500 steps: 464 against 437 ms, medians of
 * eight alternating rounds) and a long or big one faster (3 000 steps: 0.86 × one thread's time;
 * the 256×784 → 256 net's 500 steps: 0.72 ×; 1 500 steps: even).
 */
export const HELPER_PAYS_FROM_MULTIPLY_ADDS = 2000 * stepMultiplyAdds(LESSON_CONFIG)

/** `--threads auto`: the helper with 4 cores or more, or on 2–3 cores for runs long or big enough. */
export function autoThreads(config: Pick<LabConfig, 'n' | 'dIn' | 'hidden' | 'dOut' | 'steps'>, cores: number): 1 | 2 {
  if (cores >= 4) return 2
  return cores >= 2 && config.steps * stepMultiplyAdds(config) >= HELPER_PAYS_FROM_MULTIPLY_ADDS ? 2 : 1
}

/** What the command does around training (`main` tunes the JavaScript compiler here). */
export interface LabHooks {
  /** Called once the kernels are chosen, before the first step. */
  beforeTraining?(kernels: string): void
}

export function runLab(argv: readonly string[], out: (text: string) => void, err: (text: string) => void = () => {}, hooks: LabHooks = {}): number {
  const options = parseLabArgs(argv)
  if (options.help) {
    out(HELP)
    return 0
  }
  validate(options)
  const { config } = options
  if (options.emitPytorchPath !== null) {
    const script = pytorchScript(config)
    if (options.emitPytorchPath === '-') out(script)
    else writeAtomically(options.emitPytorchPath, script)
    // A script is what was asked for; train here too only when results are asked for as well.
    if (!options.json && !options.exportPath) {
      if (options.emitPytorchPath !== '-') {
        err(`lab: wrote ${options.emitPytorchPath}; \`python ${options.emitPytorchPath}\` runs it (add --json or --export to train here too)\n`)
      }
      return 0
    }
  }
  const printLosses = !options.json && options.emitPytorchPath !== '-'
  const threads = options.threads === 'auto' ? autoThreads(config, availableParallelism()) : options.threads
  const backend = selectKernels(options.kernels, threads === 2 ? { threads: spawnNodeKernelThread } : {})
  const session = new TrainingSession(config)
  // The helper starts while the data are made; the clock starts once it can take work.
  const kernelThreads = backend.name === 'wasm' && (backend as WasmKernels).waitForHelper(2000) ? 2 : 1
  hooks.beforeTraining?.(backend.name)
  const losses: number[] = []
  const lrs: number[][] = []
  let pending: string[] = []

  const started = performance.now()
  for (let t = 0; t < config.steps; t++) {
    if (session.scheduler) lrs.push(session.currentLrs())
    const loss = session.step()
    losses.push(loss)
    if (printLosses) {
      pending.push(`${t} ${formatPythonFloat(loss)}\n`)
      if (pending.length >= 100) {
        out(pending.join(''))
        pending = []
      }
    }
  }
  const trainMs = performance.now() - started
  if (pending.length) out(pending.join(''))

  const finalLoss = session.evaluateLoss()
  if (options.exportPath) {
    writeAtomically(options.exportPath, JSON.stringify(session.exportWeights(config.steps > 0 ? finalLoss : null)))
  }
  if (options.json) {
    const finite = (x: number): number | null => (Number.isFinite(x) ? x : null)
    out(
      JSON.stringify({
        config,
        losses: losses.map(finite),
        final_loss: finite(finalLoss),
        train_ms: trainMs,
        param_groups: session.optimizer.stateDict().param_groups,
        kernels: backend.name,
        threads: kernelThreads,
        ...(session.scheduler ? { lrs, last_lr: session.scheduler.getLastLr() } : {})
      }) + '\n'
    )
  }
  return 0
}

/**
 * With the WebAssembly kernels, V8's optimizing compiler runs without inlining in the `lab`
 * process: during the lesson's 500 steps it spent ≈ 180 ms of CPU on the engine's JavaScript,
 * mostly on inlining, ≈ 100 ms without, and the cold run is faster (train_ms median 375 against
 * 442 ms, per-round ratio 0.88 over 10 alternating rounds; docs/performance.md). Not with the
 * TypeScript kernels, whose loops need inlining (the lesson: 10.1 s with, 15.7 s without).
 */
function tuneCompiler(kernels: string): void {
  if (kernels === 'wasm') setFlagsFromString('--no-turbo-inlining')
}

export function main(argv: readonly string[]): void {
  const out = (text: string): void => {
    process.stdout.write(text)
  }
  const err = (text: string): void => {
    process.stderr.write(text)
  }
  try {
    process.exitCode = runLab(argv, out, err, { beforeTraining: tuneCompiler })
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`lab: error: ${error.message}\n`)
      process.exitCode = 2
    } else {
      process.stderr.write(`lab: ${(error as Error).message ?? String(error)}\n`)
      process.exitCode = 1
    }
  }
}
