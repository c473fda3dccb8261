/**
 * The headless `lab` command (DESIGN §5): trains the lesson's network and prints `t loss` lines,
 * or one JSON object with `--json`; `--export` writes the weights file.
 */
import { writeFileSync, renameSync, rmSync } from 'node:fs'
import { dirname, basename, join } from 'node:path'
import { selectKernels } from '../engine/kernels/select'
import { createOptimizer } from '../engine/optim'
import { Parameter } from '../engine/tensor/tensor'
import { TrainingSession } from '../engine/train/session'
import { formatPythonFloat } from '../shared/python-format'
import { ConfigError, validateConfig } from '../shared/validate'
import { HELP, UsageError, flagOf, parseLabArgs, type LabOptions } from './args'

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

export function runLab(argv: readonly string[], out: (text: string) => void): number {
  const options = parseLabArgs(argv)
  if (options.help) {
    out(HELP)
    return 0
  }
  validate(options)
  const { config } = options
  const backend = selectKernels(options.kernels)
  const session = new TrainingSession(config)
  const losses: number[] = []
  let pending: string[] = []

  const started = performance.now()
  for (let t = 0; t < config.steps; t++) {
    const loss = session.step()
    losses.push(loss)
    if (!options.json) {
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
        kernels: backend.name
      }) + '\n'
    )
  }
  return 0
}

export function main(argv: readonly string[]): void {
  const out = (text: string): void => {
    process.stdout.write(text)
  }
  try {
    process.exitCode = runLab(argv, out)
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
