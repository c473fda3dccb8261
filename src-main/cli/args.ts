import {
  ACTIVATIONS,
  DTYPES,
  LESSON_CONFIG,
  OPTIMIZER_NAMES,
  REDUCTIONS,
  hyperparametersOf,
  type HyperparameterName,
  type Hyperparameters,
  type LabConfig,
  type OptimizerName
} from '../shared/config'
import { DEFAULT_MAX_MEMORY_BYTES } from '../shared/memory'
import { KERNEL_CHOICES, type KernelChoice } from '../engine/kernels/select'

/** A bad flag or value: the CLI prints `lab: error: <message>` and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export interface LabOptions {
  config: LabConfig
  json: boolean
  exportPath: string | null
  maxMemoryBytes: number
  help: boolean
  /** Compute backend: 'auto' (WebAssembly SIMD where available, else TypeScript), 'wasm', 'typescript'. */
  kernels: KernelChoice
}

type Kind = 'integer' | 'count' | 'number' | 'flag' | 'widths' | 'pair' | 'path' | 'bytes' | readonly string[]

interface FlagSpec {
  kind: Kind
  /** The hyperparameter the flag sets (these flags only apply to optimizers that take it). */
  hyper?: HyperparameterName
}

const FLAGS: Record<string, FlagSpec> = {
  '--seed': { kind: 'integer' },
  '--n': { kind: 'count' },
  '--d-in': { kind: 'count' },
  '--hidden': { kind: 'widths' },
  '--d-out': { kind: 'count' },
  '--activation': { kind: ACTIVATIONS },
  '--reduction': { kind: REDUCTIONS },
  '--dtype': { kind: DTYPES },
  '--optimizer': { kind: OPTIMIZER_NAMES.map((n) => n.toLowerCase()) },
  '--steps': { kind: 'integer' },
  '--lr': { kind: 'number', hyper: 'lr' },
  '--momentum': { kind: 'number', hyper: 'momentum' },
  '--dampening': { kind: 'number', hyper: 'dampening' },
  '--nesterov': { kind: 'flag', hyper: 'nesterov' },
  '--weight-decay': { kind: 'number', hyper: 'weight_decay' },
  '--betas': { kind: 'pair', hyper: 'betas' },
  '--eps': { kind: 'number', hyper: 'eps' },
  '--amsgrad': { kind: 'flag', hyper: 'amsgrad' },
  '--alpha': { kind: 'number', hyper: 'alpha' },
  '--centered': { kind: 'flag', hyper: 'centered' },
  '--rho': { kind: 'number', hyper: 'rho' },
  '--lr-decay': { kind: 'number', hyper: 'lr_decay' },
  '--initial-accumulator-value': { kind: 'number', hyper: 'initial_accumulator_value' },
  '--momentum-decay': { kind: 'number', hyper: 'momentum_decay' },
  '--maximize': { kind: 'flag', hyper: 'maximize' },
  '--json': { kind: 'flag' },
  '--export': { kind: 'path' },
  '--max-memory': { kind: 'bytes' },
  '--kernels': { kind: KERNEL_CHOICES },
  '--help': { kind: 'flag' }
}

export const FLAG_NAMES = Object.keys(FLAGS)

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

function parseNumber(flag: string, text: string): number {
  const value = NUMBER_PATTERN.test(text.trim()) ? Number(text) : NaN
  if (!Number.isFinite(value)) throw new UsageError(`${flag}: expected a finite number, got '${text}'`)
  return value
}

function parseInteger(flag: string, text: string, min: number): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new UsageError(`${flag}: expected an integer, got '${text}'`)
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new UsageError(`${flag}: ${text} is too large (at most ${Number.MAX_SAFE_INTEGER})`)
  if (value < min) throw new UsageError(`${flag}: expected an integer of at least ${min}, got ${text}`)
  return value
}

function parseWidths(flag: string, text: string): number[] {
  if (text.trim().toLowerCase() === 'none') return []
  const parts = text.split(',')
  return parts.map((part) => {
    if (part.trim() === '') throw new UsageError(`${flag}: expected a comma list of positive widths such as 100 or 64,32 (or 'none'), got '${text}'`)
    return parseInteger(flag, part, 1)
  })
}

function parseBytes(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?$/i.exec(text.trim())
  if (!match) throw new UsageError(`${flag}: expected a size such as 2GiB, 512MiB or a number of bytes, got '${text}'`)
  const power = { b: 0, k: 1, m: 2, g: 3, t: 4 }[(match[2] ?? 'b')[0].toLowerCase() as 'b' | 'k' | 'm' | 'g' | 't']
  return Number(match[1]) * 1024 ** power
}

/** Turns `argv` (without node and the script) into validated options; throws UsageError. */
export function parseLabArgs(argv: readonly string[]): LabOptions {
  const config: LabConfig = { ...LESSON_CONFIG, hidden: [...LESSON_CONFIG.hidden], hyper: { ...LESSON_CONFIG.hyper } }
  const hyper: Partial<Record<HyperparameterName, unknown>> = {}
  const hyperFlag = new Map<HyperparameterName, string>()
  const seen = new Set<string>()
  const options: LabOptions = { config, json: false, exportPath: null, maxMemoryBytes: DEFAULT_MAX_MEMORY_BYTES, help: false, kernels: 'auto' }

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    const spec = FLAGS[flag]
    if (!spec) {
      throw new UsageError(
        arg.startsWith('-') ? `unknown flag ${flag} (see --help for the flags)` : `unexpected argument '${arg}' (flags start with --)`
      )
    }
    if (seen.has(flag)) throw new UsageError(`${flag} given more than once`)
    seen.add(flag)

    let value: string | undefined
    if (spec.kind === 'flag') {
      if (eq > 0) throw new UsageError(`${flag} takes no value`)
    } else {
      value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
      if (value === undefined || (eq < 0 && value.startsWith('--'))) {
        throw new UsageError(`${flag} needs a value`)
      }
    }
    const text = value ?? ''

    if (spec.hyper) {
      hyperFlag.set(spec.hyper, flag)
      hyper[spec.hyper] = spec.kind === 'flag' ? true : spec.kind === 'pair' ? parsePair(flag, text) : parseNumber(flag, text)
      continue
    }
    switch (flag) {
      case '--seed':
        config.seed = parseInteger(flag, text, Number.MIN_SAFE_INTEGER)
        break
      case '--n':
        config.n = parseInteger(flag, text, 1)
        break
      case '--d-in':
        config.dIn = parseInteger(flag, text, 1)
        break
      case '--d-out':
        config.dOut = parseInteger(flag, text, 1)
        break
      case '--hidden':
        config.hidden = parseWidths(flag, text)
        break
      case '--steps':
        config.steps = parseInteger(flag, text, 0)
        break
      case '--activation':
      case '--reduction':
      case '--dtype':
      case '--optimizer': {
        const allowed = spec.kind as readonly string[]
        const normalized = text.toLowerCase()
        if (!allowed.includes(normalized)) throw new UsageError(`${flag}: expected one of ${allowed.join(', ')}, got '${text}'`)
        if (flag === '--optimizer') config.optimizer = OPTIMIZER_NAMES.find((n) => n.toLowerCase() === normalized) as OptimizerName
        else if (flag === '--activation') config.activation = normalized as LabConfig['activation']
        else if (flag === '--reduction') config.reduction = normalized as LabConfig['reduction']
        else config.dtype = normalized as LabConfig['dtype']
        break
      }
      case '--json':
        options.json = true
        break
      case '--help':
        options.help = true
        break
      case '--export':
        if (text.trim() === '') throw new UsageError(`${flag}: expected a file path`)
        options.exportPath = text
        break
      case '--max-memory':
        options.maxMemoryBytes = parseBytes(flag, text)
        break
      case '--kernels': {
        const normalized = text.toLowerCase()
        if (!(KERNEL_CHOICES as readonly string[]).includes(normalized)) {
          throw new UsageError(`${flag}: expected one of ${KERNEL_CHOICES.join(', ')}, got '${text}'`)
        }
        options.kernels = normalized as KernelChoice
        break
      }
    }
  }

  // The lesson's lr for every optimizer; other hyperparameters keep PyTorch's defaults.
  if (hyper.lr === undefined) hyper.lr = LESSON_CONFIG.hyper.lr
  const accepted = new Set(hyperparametersOf(config.optimizer))
  for (const [key, flag] of hyperFlag) {
    if (!accepted.has(key)) {
      const flags = [...accepted].map((k) => '--' + k.replace(/_/g, '-')).join(', ')
      throw new UsageError(`${flag} does not apply to ${config.optimizer} (its options: ${flags})`)
    }
  }
  config.hyper = hyper as Hyperparameters
  return options
}

function parsePair(flag: string, text: string): [number, number] {
  const parts = text.split(',')
  if (parts.length !== 2) throw new UsageError(`${flag}: expected two numbers b1,b2 such as 0.9,0.999, got '${text}'`)
  return [parseNumber(flag, parts[0]), parseNumber(flag, parts[1])]
}

/** `--flag` for a hyperparameter name, for messages. */
export function flagOf(name: string): string {
  return '--' + name.replace(/_/g, '-')
}

export const HELP = `Usage: npm run --silent lab -- [flags]

Trains the lesson's network without a window and prints "t loss" per step, like the tutorial.

Data and network (defaults are the lesson's):
  --seed 0  --n 64  --d-in 1000  --hidden 100 (comma list, or none)  --d-out 10
  --activation relu|tanh|sigmoid|leaky_relu  --reduction sum|mean  --dtype float32|float64
Optimizer:
  --optimizer ${OPTIMIZER_NAMES.map((n) => n.toLowerCase()).join('|')}  (default adam)
  --lr 1e-4 (every optimizer)  --steps 500
  --momentum --dampening --nesterov --weight-decay --betas b1,b2 --eps --amsgrad --alpha
  --centered --rho --lr-decay --initial-accumulator-value --momentum-decay --maximize
  (other values default to PyTorch's; a flag the optimizer does not take is an error)
Output:
  --json             one JSON object: losses, final_loss, train_ms, param_groups
  --export PATH      write the weights file (with optimizer state); --steps 0 exports initial weights
  --max-memory SIZE  refuse configurations needing more (default 1GiB)
  --kernels auto|wasm|typescript  compute backend (default auto: WebAssembly SIMD where available)
Exit status: 0 on success, 2 for a bad flag or value, 1 if training or writing fails.
`
