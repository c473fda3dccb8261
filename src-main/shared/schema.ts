/**
 * The one schema of everything that crosses a boundary: the experiment configuration, every
 * engine command, and the persisted settings (`settings.ts`) and weights files (`weights-import.ts`)
 * build on it. Main, the engine host, the renderer and the CLI validate with these, so a value is
 * judged the same everywhere. Written with valibot: it needs no `eval`/`new Function` (our CSP
 * forbids both), it tree-shakes into the Worker and the page, and its issues carry the path of the
 * offending field, which every message below names.
 *
 * Structure and sizes are checked here; hyperparameter *ranges* are the optimizers' to judge
 * (`hyperparameter-check.ts` asks them, for PyTorch's own messages).
 */
import * as v from 'valibot'
import {
  ACTIVATIONS,
  CSV_TASKS,
  DTYPES,
  LOSS_NAMES,
  OPTIMIZER_NAMES,
  PARAM_GROUP_MODES,
  REDUCTIONS,
  SCHEDULER_NAMES,
  ZERO_GRAD_MODES,
  type DataConfig,
  type Hyperparameters,
  type LabConfig,
  type SchedulerOptions
} from './config'
import type { EngineCommand } from './protocol'
import type { RungConfig } from '../engine/lesson/rungs'

export const LIMITS = {
  /** Largest width of any layer, samples or feature count. */
  maxDimension: 1_000_000,
  maxHiddenLayers: 32,
  maxSteps: 10_000_000,
  maxRunIdLength: 200,
  /** Lanes in one race. */
  maxRaceLanes: 8,
  /** Steps of the five rungs (each rung keeps every loss, and the lesson's five take ~5× a run's time). */
  maxRungSteps: 100_000,
  /** Values (x and y together) an imported CSV dataset may hold. */
  maxCsvValues: 2_000_000,
  /** Classes of a spiral. */
  maxSpiralClasses: 10,
  /** Largest weights file accepted, in characters (the largest allowed configuration fits well below). */
  maxWeightsChars: 256 * 1024 * 1024
} as const

/** A value as a message shows it: short, and never a whole object. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : typeof value
}

type Message = (issue: v.BaseIssue<unknown>) => string
const got = (allowed: string): Message => (issue) => `${allowed}, got ${show(issue.input)}`

/** An integer in [min, max]; every failure reads "must be an integer from min to max, got x". */
export function integerIn(min: number, max: number) {
  const message = got(`must be an integer from ${min} to ${max}`)
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message))
}

export function oneOf<const T extends readonly [string, ...string[]]>(allowed: T) {
  return v.picklist(allowed, got(`must be one of ${allowed.join(', ')}`))
}

/**
 * Any JavaScript number, NaN and ±Infinity included: hyperparameter values go on to the optimizer's
 * own checks, which refuse them with PyTorch's wording ("Invalid learning rate: nan").
 */
const anyNumber = v.custom<number>((value) => typeof value === 'number', got('must be a number'))
const flag = v.boolean(got('must be true or false'))

const HyperparametersSchema = v.strictObject(
  {
    lr: anyNumber,
    momentum: v.optional(anyNumber),
    dampening: v.optional(anyNumber),
    nesterov: v.optional(flag),
    weight_decay: v.optional(anyNumber),
    betas: v.optional(v.tuple([anyNumber, anyNumber], got('must be a pair of numbers [beta1, beta2]'))),
    eps: v.optional(anyNumber),
    amsgrad: v.optional(flag),
    alpha: v.optional(anyNumber),
    centered: v.optional(flag),
    rho: v.optional(anyNumber),
    lr_decay: v.optional(anyNumber),
    initial_accumulator_value: v.optional(anyNumber),
    momentum_decay: v.optional(anyNumber),
    maximize: v.optional(flag)
  },
  (issue) =>
    issue.type === 'strict_object' && issue.expected === 'never'
      ? `${show(issue.input)} is not a hyperparameter of torch.optim`
      : got('must be an object of hyperparameters')(issue)
)

const CONFIG_KEYS = [
  'seed', 'n', 'dIn', 'hidden', 'dOut', 'activation', 'reduction', 'dtype', 'optimizer', 'hyper', 'steps',
  'paramGroups', 'groupHyper', 'scheduler', 'data', 'loss', 'zeroGrad'
]

const finiteNumber = v.pipe(v.number(got('must be a number')), v.finite(got('must be a finite number')))
const noiseLevel = v.pipe(finiteNumber, v.minValue(0, got('must be at least 0')), v.maxValue(10, got('must be at most 10')))
const csvValues = v.pipe(
  v.array(finiteNumber, got('must be a list of finite numbers')),
  v.maxLength(LIMITS.maxCsvValues, (issue) => `must hold at most ${LIMITS.maxCsvValues} values, got ${(issue.input as unknown[]).length}`)
)

/** `{kind, ...}`: the lesson's randn, a synthetic 2-D set, or imported CSV values (data-check.ts checks the sizes). */
const DataConfigSchema = v.variant(
  'kind',
  [
    v.strictObject({ kind: v.literal('randn') }, got('must be {kind: "randn"}')),
    v.strictObject({ kind: v.picklist(['moons', 'circles']), noise: noiseLevel }, got('must be {kind, noise}')),
    v.strictObject({ kind: v.literal('spiral'), noise: noiseLevel, classes: integerIn(2, LIMITS.maxSpiralClasses) }, got('must be {kind, noise, classes}')),
    v.strictObject(
      { kind: v.literal('csv'), task: oneOf(CSV_TASKS), name: v.pipe(v.string(got('must be a file name')), v.maxLength(300, got('must be at most 300 characters'))), x: csvValues, y: csvValues },
      got('must be {kind, task, name, x, y}')
    )
  ],
  got('must be one of randn, moons, circles, spiral, csv (as {kind: ...})')
)

/** `{kind, options}`; which options a kind takes, and their types, is training-check.ts's to say. */
const SchedulerConfigSchema = v.strictObject(
  {
    kind: oneOf(SCHEDULER_NAMES),
    options: v.custom<SchedulerOptions>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), got('must be an object of scheduler options'))
  },
  got('must be an object {kind, options}')
)

/** `LabConfig` (config.ts): every field, nothing else. */
export const LabConfigSchema = v.strictObject(
  {
    seed: v.pipe(
      v.number(got('must be an integer')),
      v.safeInteger(got(`must be an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`))
    ),
    n: integerIn(1, LIMITS.maxDimension),
    dIn: integerIn(1, LIMITS.maxDimension),
    hidden: v.pipe(
      v.array(integerIn(1, LIMITS.maxDimension), got(`must be a list of at most ${LIMITS.maxHiddenLayers} layer widths`)),
      v.maxLength(LIMITS.maxHiddenLayers, (issue) => `must be a list of at most ${LIMITS.maxHiddenLayers} layer widths, got ${(issue.input as unknown[]).length}`)
    ),
    dOut: integerIn(1, LIMITS.maxDimension),
    activation: oneOf(ACTIVATIONS),
    reduction: oneOf(REDUCTIONS),
    dtype: oneOf(DTYPES),
    optimizer: oneOf(OPTIMIZER_NAMES),
    hyper: HyperparametersSchema,
    steps: integerIn(0, LIMITS.maxSteps),
    paramGroups: v.optional(oneOf(PARAM_GROUP_MODES)),
    groupHyper: v.optional(v.array(v.partial(HyperparametersSchema), got('must be a list of per-group hyperparameters'))),
    scheduler: v.optional(SchedulerConfigSchema),
    data: v.optional(DataConfigSchema),
    loss: v.optional(oneOf(LOSS_NAMES)),
    zeroGrad: v.optional(oneOf(ZERO_GRAD_MODES))
  },
  (issue) =>
    issue.type === 'strict_object' && issue.expected === 'never'
      ? `is not a configuration field (the fields are ${CONFIG_KEYS.join(', ')})`
      : got('must be an object')(issue)
)

/** `RungConfig` (engine/lesson/rungs.ts): the one-hidden-layer net and plain gradient descent of the five rungs. */
export const RungConfigSchema = v.strictObject(
  {
    seed: v.pipe(
      v.number(got('must be an integer')),
      v.safeInteger(got(`must be an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`))
    ),
    n: integerIn(1, LIMITS.maxDimension),
    dIn: integerIn(1, LIMITS.maxDimension),
    hidden: integerIn(1, LIMITS.maxDimension),
    dOut: integerIn(1, LIMITS.maxDimension),
    // Its range is SGD's to judge (commands.ts asks it, for PyTorch's wording).
    lr: anyNumber,
    steps: integerIn(1, LIMITS.maxRungSteps)
  },
  (issue) =>
    issue.type === 'strict_object' && issue.expected === 'never'
      ? 'is not a field of the rungs\' configuration (the fields are seed, n, dIn, hidden, dOut, lr, steps)'
      : got('must be an object')(issue)
)

const RequestId = v.pipe(v.number(got('must be an integer')), v.safeInteger(got('must be an integer')))
const RunIdSchema = v.pipe(
  v.string(got(`must be a string of 1 to ${LIMITS.maxRunIdLength} characters`)),
  v.minLength(1, got(`must be a string of 1 to ${LIMITS.maxRunIdLength} characters`)),
  v.maxLength(LIMITS.maxRunIdLength, (issue) => `must be a string of 1 to ${LIMITS.maxRunIdLength} characters, got ${(issue.input as string).length}`)
)
const extraKey: Message = (issue) =>
  issue.type === 'strict_object' && issue.expected === 'never' ? 'is not part of this command' : got('must be an object')(issue)

/** Like `extraKey`, but a missing field is named as missing. */
const fieldOrExtraKey: Message = (issue) =>
  issue.type === 'strict_object' && issue.expected !== 'never' && issue.input === undefined ? 'is missing' : extraKey(issue)

/** A parameter's `state_dict` key (`0.weight`) or a view name (`exp_avg`); the host checks it exists. */
const NameSchema = v.pipe(
  v.string(got('must be a name of 1 to 100 characters')),
  v.minLength(1, got('must be a name of 1 to 100 characters')),
  v.maxLength(100, got('must be a name of 1 to 100 characters'))
)

const runCommand = <const T extends string>(type: T) =>
  v.strictObject({ type: v.literal(type), id: RequestId, runId: RunIdSchema }, extraKey)

export const ENGINE_COMMAND_TYPES = [
  'startRun',
  'startRace',
  'startRungs',
  'stopRungs',
  'importWeights',
  'pauseRun',
  'resumeRun',
  'stopRun',
  'stepRun',
  'inspectRun',
  'inspectState',
  'traceUpdate',
  'exportWeights',
  'disposeRun',
  'ping'
] as const satisfies readonly EngineCommand['type'][]

/** Every `EngineCommand` (protocol.ts), told apart by `type`. */
export const EngineCommandSchema = v.variant(
  'type',
  [
    v.strictObject(
      {
        type: v.literal('startRun'),
        id: RequestId,
        runId: RunIdSchema,
        config: LabConfigSchema,
        paused: v.optional(v.boolean(got('must be true or false')))
      },
      extraKey
    ),
    v.strictObject(
      {
        type: v.literal('startRace'),
        id: RequestId,
        lanes: v.pipe(
          v.array(v.strictObject({ runId: RunIdSchema, config: LabConfigSchema }, extraKey), got('must be a list of lanes')),
          v.minLength(1, got(`must hold 1 to ${LIMITS.maxRaceLanes} lanes`)),
          v.maxLength(LIMITS.maxRaceLanes, got(`must hold 1 to ${LIMITS.maxRaceLanes} lanes`))
        )
      },
      extraKey
    ),
    v.strictObject({ type: v.literal('startRungs'), id: RequestId, rungsId: RunIdSchema, config: RungConfigSchema }, fieldOrExtraKey),
    v.strictObject({ type: v.literal('stopRungs'), id: RequestId, rungsId: RunIdSchema }, fieldOrExtraKey),
    v.strictObject(
      {
        type: v.literal('importWeights'),
        id: RequestId,
        runId: RunIdSchema,
        config: LabConfigSchema,
        text: v.pipe(
          v.string(got('must be the text of a weights file')),
          v.maxLength(LIMITS.maxWeightsChars, (issue) => `is ${(issue.input as string).length} characters, more than the ${LIMITS.maxWeightsChars} allowed`)
        )
      },
      extraKey
    ),
    runCommand('pauseRun'),
    runCommand('resumeRun'),
    runCommand('stopRun'),
    runCommand('stepRun'),
    runCommand('inspectRun'),
    v.strictObject({ type: v.literal('inspectState'), id: RequestId, runId: RunIdSchema, parameter: NameSchema, view: NameSchema }, fieldOrExtraKey),
    v.strictObject(
      { type: v.literal('traceUpdate'), id: RequestId, runId: RunIdSchema, parameter: NameSchema, index: integerIn(0, Number.MAX_SAFE_INTEGER) },
      fieldOrExtraKey
    ),
    runCommand('exportWeights'),
    runCommand('disposeRun'),
    v.strictObject({ type: v.literal('ping'), id: RequestId }, extraKey)
  ],
  got(`must be one of ${ENGINE_COMMAND_TYPES.join(', ')}`)
)

// ---- the schema and the hand-written interfaces describe the same values ----
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const assertType = <T extends true>(): T => true as T
assertType<Same<v.InferOutput<typeof HyperparametersSchema>, Hyperparameters>>()
assertType<Same<v.InferOutput<typeof LabConfigSchema>, LabConfig>>()
assertType<Same<v.InferOutput<typeof DataConfigSchema>, DataConfig>>()
assertType<Same<v.InferOutput<typeof RungConfigSchema>, RungConfig>>()
assertType<Same<v.InferOutput<typeof EngineCommandSchema>, EngineCommand>>()

// ---- results and messages ----

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string }

/** `hidden[0]`, `hyper.lr`, `state_dict["0.bias"]`: the path of an issue, below `root` when given. */
export function issuePath(issue: v.BaseIssue<unknown>, root = ''): string {
  let path = root
  for (const item of issue.path ?? []) {
    const key = item.key
    if (typeof key === 'number') path += `[${key}]`
    else if (typeof key !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(key)) path += `[${JSON.stringify(String(key).slice(0, 40))}]`
    else path += path === '' ? key : `.${key}`
  }
  return path
}

/** The first problem of `value` against `schema`, as `{field, message}`, or the typed value. */
export function parseWith<S extends v.GenericSchema>(schema: S, value: unknown, root = ''): Parsed<v.InferOutput<S>> {
  const result = v.safeParse(schema, value, { abortEarly: true })
  if (result.success) return { ok: true, value: result.output }
  const issue = result.issues[0]
  return { ok: false, field: issuePath(issue, root), message: issue.message }
}

/** "field: message", or just the message at the root. */
export function describeProblem(problem: { field: string; message: string }): string {
  return problem.field ? `${problem.field}: ${problem.message}` : problem.message
}
