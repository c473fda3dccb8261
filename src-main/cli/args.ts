import {
  ACTIVATIONS,
  DTYPES,
  LESSON_CONFIG,
  OPTIMIZER_NAMES,
  PARAM_GROUP_MODES,
  REDUCTIONS,
  SCHEDULER_NAMES,
  SCHEDULER_SPECS,
  ZERO_GRAD_MODES,
  hyperparametersOf,
  paramGroupLayout,
  type HyperparameterName,
  type Hyperparameters,
  type LabConfig,
  type OptimizerName,
  type SchedulerName,
  type SchedulerOptionName,
  type SchedulerOptions
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
  /** `--threads`: threads for the WebAssembly kernels' big products ('auto': 2 with 4 cores or more, or on 2–3 cores for long or big runs). */
  threads: 'auto' | 1 | 2
  /** `--emit-pytorch PATH`: where to write the PyTorch script ('-' for stdout); null if not asked. */
  emitPytorchPath: string | null
}

const THREAD_CHOICES = ['auto', '1', '2'] as const

type Kind =
  | 'integer' | 'count' | 'number' | 'flag' | 'widths' | 'pair' | 'path' | 'bytes' | 'integers' | 'numbers' | readonly string[]

interface FlagSpec {
  kind: Kind
  /** The hyperparameter the flag sets (these flags only apply to optimizers that take it). */
  hyper?: HyperparameterName
  /** The scheduler option the flag sets (only with a --scheduler that takes it). */
  scheduler?: SchedulerOptionName
  /** A boolean scheduler option the flag turns off (`--no-cycle-momentum`). */
  negate?: true
  /** The hyperparameter the flag sets per param group, one comma-separated value per group. */
  groupHyper?: HyperparameterName
}

/** Numeric hyperparameters a param group can override from the command line (`--group-lr 1e-3,1e-4`). */
const GROUP_HYPERPARAMETERS: HyperparameterName[] = [
  'lr', 'momentum', 'dampening', 'weight_decay', 'eps', 'alpha', 'rho', 'lr_decay', 'initial_accumulator_value', 'momentum_decay'
]

/** Scheduler options and their flags, as PyTorch names them (`T_max` → --t-max). */
const SCHEDULER_FLAGS: Record<string, FlagSpec> = {
  '--step-size': { kind: 'integer', scheduler: 'step_size' },
  '--gamma': { kind: 'number', scheduler: 'gamma' },
  '--milestones': { kind: 'integers', scheduler: 'milestones' },
  '--t-max': { kind: 'integer', scheduler: 'T_max' },
  '--eta-min': { kind: 'number', scheduler: 'eta_min' },
  '--start-factor': { kind: 'number', scheduler: 'start_factor' },
  '--end-factor': { kind: 'number', scheduler: 'end_factor' },
  '--total-iters': { kind: 'integer', scheduler: 'total_iters' },
  '--max-lr': { kind: 'numbers', scheduler: 'max_lr' },
  '--total-steps': { kind: 'integer', scheduler: 'total_steps' },
  '--pct-start': { kind: 'number', scheduler: 'pct_start' },
  '--anneal-strategy': { kind: ['cos', 'linear'], scheduler: 'anneal_strategy' },
  '--no-cycle-momentum': { kind: 'flag', scheduler: 'cycle_momentum', negate: true },
  '--base-momentum': { kind: 'number', scheduler: 'base_momentum' },
  '--max-momentum': { kind: 'number', scheduler: 'max_momentum' },
  '--div-factor': { kind: 'number', scheduler: 'div_factor' },
  '--final-div-factor': { kind: 'number', scheduler: 'final_div_factor' },
  '--three-phase': { kind: 'flag', scheduler: 'three_phase' },
  '--mode': { kind: ['min', 'max'], scheduler: 'mode' },
  '--factor': { kind: 'number', scheduler: 'factor' },
  '--patience': { kind: 'integer', scheduler: 'patience' },
  '--threshold': { kind: 'number', scheduler: 'threshold' },
  '--threshold-mode': { kind: ['rel', 'abs'], scheduler: 'threshold_mode' },
  '--cooldown': { kind: 'integer', scheduler: 'cooldown' },
  '--min-lr': { kind: 'numbers', scheduler: 'min_lr' }
}

/** The flag that sets a scheduler option, for messages (ReduceLROnPlateau's eps has none: --eps is the optimizer's). */
export function schedulerFlagOf(option: string): string | undefined {
  return Object.entries(SCHEDULER_FLAGS).find(([, spec]) => spec.scheduler === option)?.[0]
}

const SCHEDULER_CHOICES = SCHEDULER_NAMES.map((n) => n.toLowerCase())

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
  '--threads': { kind: THREAD_CHOICES },
  '--help': { kind: 'flag' },
  '--param-groups': { kind: PARAM_GROUP_MODES },
  '--zero-grad': { kind: ZERO_GRAD_MODES },
  ...Object.fromEntries(GROUP_HYPERPARAMETERS.map((h) => [`--group-${h.replace(/_/g, '-')}`, { kind: 'numbers', groupHyper: h }])),
  '--scheduler': { kind: SCHEDULER_CHOICES },
  ...SCHEDULER_FLAGS,
  '--emit-pytorch': { kind: 'path' }
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

function parseList<T>(flag: string, text: string, parse: (part: string) => T, example: string): T[] {
  const parts = text.split(',')
  if (parts.some((part) => part.trim() === '')) throw new UsageError(`${flag}: expected a comma list such as ${example}, got '${text}'`)
  return parts.map(parse)
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
  const options: LabOptions = {
    config, json: false, exportPath: null, maxMemoryBytes: DEFAULT_MAX_MEMORY_BYTES, help: false, kernels: 'auto', threads: 'auto', emitPytorchPath: null
  }
  let schedulerKind: SchedulerName | undefined
  const schedulerOptions: Record<string, unknown> = {}
  const schedulerFlag = new Map<SchedulerOptionName, string>()
  const groupValues = new Map<HyperparameterName, { flag: string; values: number[] }>()

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
    if (spec.scheduler) {
      schedulerFlag.set(spec.scheduler, flag)
      schedulerOptions[spec.scheduler] = parseSchedulerValue(flag, spec, text)
      continue
    }
    if (spec.groupHyper) {
      groupValues.set(spec.groupHyper, { flag, values: parseList(flag, text, (v) => parseNumber(flag, v), '1e-3,1e-4') })
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
      case '--param-groups': {
        const normalized = text.toLowerCase()
        if (!(PARAM_GROUP_MODES as readonly string[]).includes(normalized)) {
          throw new UsageError(`${flag}: expected one of ${PARAM_GROUP_MODES.join(', ')}, got '${text}'`)
        }
        config.paramGroups = normalized as LabConfig['paramGroups']
        break
      }
      case '--zero-grad': {
        const normalized = text.toLowerCase()
        if (!(ZERO_GRAD_MODES as readonly string[]).includes(normalized)) {
          throw new UsageError(`${flag}: expected one of ${ZERO_GRAD_MODES.join(', ')}, got '${text}'`)
        }
        // The default stays implicit, so a lesson config (and its JSON) is unchanged.
        if (normalized !== 'set_to_none') config.zeroGrad = normalized as LabConfig['zeroGrad']
        break
      }
      case '--scheduler': {
        const index = SCHEDULER_CHOICES.indexOf(text.toLowerCase())
        if (index < 0) throw new UsageError(`${flag}: expected one of ${SCHEDULER_CHOICES.join(', ')}, got '${text}'`)
        schedulerKind = SCHEDULER_NAMES[index]
        break
      }
      case '--emit-pytorch':
        if (text.trim() === '') throw new UsageError(`${flag}: expected a file path (or - for stdout)`)
        options.emitPytorchPath = text
        break
      case '--kernels': {
        const normalized = text.toLowerCase()
        if (!(KERNEL_CHOICES as readonly string[]).includes(normalized)) {
          throw new UsageError(`${flag}: expected one of ${KERNEL_CHOICES.join(', ')}, got '${text}'`)
        }
        options.kernels = normalized as KernelChoice
        break
      }
      case '--threads': {
        const normalized = text.toLowerCase()
        if (!(THREAD_CHOICES as readonly string[]).includes(normalized)) {
          throw new UsageError(`${flag}: expected one of ${THREAD_CHOICES.join(', ')}, got '${text}'`)
        }
        options.threads = normalized === 'auto' ? 'auto' : (Number(normalized) as 1 | 2)
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
  applyParamGroups(config, groupValues, accepted)
  applyScheduler(config, schedulerKind, schedulerOptions, schedulerFlag)
  if (options.emitPytorchPath === '-' && options.json) {
    throw new UsageError('--emit-pytorch -: stdout is taken by --json; give the script a file path')
  }
  return options
}

function parseSchedulerValue(flag: string, spec: FlagSpec, text: string): unknown {
  if (spec.kind === 'flag') return !spec.negate
  if (spec.kind === 'integer') return parseInteger(flag, text, 0)
  if (spec.kind === 'integers') return parseList(flag, text, (v) => parseInteger(flag, v, 0), '10,20')
  if (spec.kind === 'numbers') {
    const values = parseList(flag, text, (v) => parseNumber(flag, v), '0.1 or 0.1,0.01 (one per param group)')
    return values.length === 1 ? values[0] : values
  }
  if (Array.isArray(spec.kind)) {
    const normalized = text.toLowerCase()
    if (!spec.kind.includes(normalized)) throw new UsageError(`${flag}: expected one of ${spec.kind.join(', ')}, got '${text}'`)
    return normalized
  }
  return parseNumber(flag, text)
}

/** `--group-<hyperparameter> v0,v1,...`: one value per param group, in order. */
function applyParamGroups(
  config: LabConfig,
  groupValues: Map<HyperparameterName, { flag: string; values: number[] }>,
  accepted: Set<HyperparameterName>
): void {
  if (groupValues.size === 0) return
  const groups = paramGroupLayout(config).length
  const groupHyper: Partial<Hyperparameters>[] = Array.from({ length: groups }, () => ({}))
  for (const [key, { flag, values }] of groupValues) {
    if (!accepted.has(key)) {
      throw new UsageError(`${flag} does not apply to ${config.optimizer} (its options: ${[...accepted].map(flagOf).join(', ')})`)
    }
    if (values.length !== groups) {
      const hint =
        config.paramGroups === 'per-layer'
          ? `one per Linear layer (${groups})`
          : `1 with one param group; add --param-groups per-layer for one group per Linear layer (${config.hidden.length + 1} here)`
      throw new UsageError(`${flag}: expected ${hint}, got ${values.length} value${values.length === 1 ? '' : 's'}`)
    }
    values.forEach((value, g) => ((groupHyper[g] as Record<string, number>)[key] = value))
  }
  config.groupHyper = groupHyper
}

/** `--scheduler` and its options: every option flag must belong to the chosen scheduler. */
function applyScheduler(
  config: LabConfig,
  kind: SchedulerName | undefined,
  options: Record<string, unknown>,
  flags: Map<SchedulerOptionName, string>
): void {
  if (kind === undefined) {
    const [option, flag] = flags.entries().next().value ?? []
    if (flag === undefined) return
    const takers = SCHEDULER_NAMES.filter((n) => SCHEDULER_SPECS[n].options.includes(option!)).map((n) => n.toLowerCase())
    throw new UsageError(`${flag} needs --scheduler (it is an option of ${takers.join(', ')})`)
  }
  const spec = SCHEDULER_SPECS[kind]
  const ownFlags = spec.options.map(schedulerFlagOf).filter((f): f is string => f !== undefined)
  for (const [option, flag] of flags) {
    if (!spec.options.includes(option)) {
      throw new UsageError(
        `${flag} does not apply to ${kind} (${ownFlags.length ? `its options: ${ownFlags.join(', ')}` : 'it takes no options here'})`
      )
    }
  }
  const missing = spec.required.filter((option) => options[option] === undefined)
  if (missing.length) throw new UsageError(`--scheduler ${kind.toLowerCase()} needs ${missing.map(schedulerFlagOf).join(' and ')}`)
  config.scheduler = { kind, options: options as SchedulerOptions }
}

function parsePair(flag: string, text: string): [number, number] {
  const parts = text.split(',')
  if (parts.length !== 2) throw new UsageError(`${flag}: expected two numbers b1,b2 such as 0.9,0.999, got '${text}'`)
  return [parseNumber(flag, parts[0]), parseNumber(flag, parts[1])]
}

/** `--flag` for a hyperparameter or scheduler option name (`T_max` → `--t-max`), for messages. */
export function flagOf(name: string): string {
  return schedulerFlagOf(name) ?? '--' + name.replace(/_/g, '-').toLowerCase()
}

export const HELP = `Usage: npm run --silent lab -- [flags]

Trains the lesson's network without a window and prints "t loss" per step, like the tutorial.

Data and network (defaults are the lesson's):
  --seed 0  --n 64  --d-in 1000  --hidden 100 (comma list, or none)  --d-out 10
  --activation relu|tanh|sigmoid|leaky_relu  --reduction sum|mean  --dtype float32|float64
Optimizer:
  --optimizer ${OPTIMIZER_NAMES.map((n) => n.toLowerCase()).join('|')}  (default adam)
  --lr 1e-4 (every optimizer)  --steps 500
  --zero-grad set_to_none|zeros|skip  before each backward: optimizer.zero_grad() (default),
      zero_grad(set_to_none=False), or no zero_grad() at all (gradients accumulate across steps)
  --momentum --dampening --nesterov --weight-decay --betas b1,b2 --eps --amsgrad --alpha
  --centered --rho --lr-decay --initial-accumulator-value --momentum-decay --maximize
  (other values default to PyTorch's; a flag the optimizer does not take is an error)
Param groups (optimizer.param_groups):
  --param-groups single|per-layer   one group (default), or one per Linear layer (its weight and bias)
  --group-lr v0,v1,...   per-group lr, one value per group, input side first; likewise --group-momentum
      --group-dampening --group-weight-decay --group-eps --group-alpha --group-rho --group-lr-decay
      --group-initial-accumulator-value --group-momentum-decay (only those the optimizer takes).
      A group without a value of its own takes the optimizer-wide flag (e.g. --lr), as in PyTorch.
Learning-rate scheduler (torch.optim.lr_scheduler; scheduler.step() after every optimizer.step()):
  --scheduler ${SCHEDULER_CHOICES.join('|')}
  steplr --step-size N [--gamma 0.1]           multisteplr --milestones 10,20 [--gamma 0.1]
  exponentiallr --gamma G                      cosineannealinglr --t-max N [--eta-min 0]
  linearlr [--start-factor 1/3 --end-factor 1 --total-iters 5]
  onecyclelr --max-lr LR (or one per group) [--total-steps (default --steps) --pct-start 0.3
      --anneal-strategy cos|linear --div-factor 25 --final-div-factor 1e4 --three-phase
      --base-momentum 0.85 --max-momentum 0.95 --no-cycle-momentum]
  reducelronplateau (fed each step's loss) [--mode min|max --factor 0.1 --patience 10
      --threshold 1e-4 --threshold-mode rel|abs --cooldown 0 --min-lr 0 (or one per group)]
  (defaults are PyTorch's; an option the chosen scheduler does not take is an error)
Output:
  --json             one JSON object: losses, final_loss, train_ms, param_groups; with a
                     scheduler also lrs (lrs[t][g]: the lr group g used at update t) and last_lr
  --export PATH      write the weights file (with optimizer state); --steps 0 exports initial weights
  --max-memory SIZE  refuse configurations needing more (default 1GiB)
  --kernels auto|wasm|typescript  compute backend (default auto: WebAssembly SIMD where available)
  --threads auto|1|2  threads for the WebAssembly kernels' big matrix products and updates (default
                     auto: 2 with 4 cores or more, and on 2–3 cores for runs of about 2000 lesson
                     steps' work or more; same numbers either way)
  --emit-pytorch PATH  write this run as a runnable PyTorch script (- for stdout) and stop without
                     training; add --json or --export to train here as well (then the t loss lines,
                     or the JSON, print as usual). python PATH prints the same "t loss" lines.
Exit status: 0 on success, 2 for a bad flag or value, 1 if training or writing fails.
`
