/**
 * Reading a weights file (DESIGN §6) that someone handed over: nothing in it is trusted. Checks run
 * cheapest first, and the first problem is reported with the path of the value at fault:
 *
 * 1. size (characters) and nesting depth, before JSON.parse;
 * 2. JSON, then the shape of the document (format, version, every field's type);
 * 3. the architecture (Linear, activation, Linear ... with matching widths) and whether a run of
 *    that size fits in memory, before any tensor is looked at;
 * 4. every tensor against the architecture: keys, shapes, dtype, data length, finite numbers;
 * 5. the optimizer: a known class, one param group over every parameter, hyperparameters that its
 *    constructor accepts (PyTorch's messages), and state entries with exactly the keys and shapes the
 *    optimizer itself creates.
 *
 * The result is the configuration to build and the checked file; the engine host loads it into a
 * new run. A file that fails any check changes nothing.
 */
import * as v from 'valibot'
import {
  DTYPES,
  OPTIMIZER_NAMES,
  hyperparametersOf,
  type ActivationName,
  type DType,
  type Hyperparameters,
  type LabConfig,
  type OptimizerName,
  SCHEDULER_GROUP_KEYS
} from './config'
import { checkHyperparameters } from './hyperparameter-check'
import { LIMITS, issuePath, show } from './schema'
import { parseLabConfig } from './validate'
import { WEIGHTS_FORMAT, WEIGHTS_VERSION, type SerializedTensor, type WeightsFile } from './weights-file'
import { createOptimizer } from '../engine/optim'
import { Parameter, Tensor } from '../engine/tensor/tensor'

/** Our files nest 7 levels (optimizer.state_dict.state["0"].exp_avg.data); a little room above that. */
export const MAX_WEIGHTS_DEPTH = 12

export class WeightsImportError extends Error {
  constructor(
    /** Path of the value at fault, e.g. `state_dict["0.weight"].data[17]`; '' for the whole file. */
    readonly field: string,
    readonly problem: string
  ) {
    super(`Cannot import this weights file: ${field ? `${field}: ` : ''}${problem}`)
    this.name = 'WeightsImportError'
  }
}

const fail = (field: string, problem: string): never => {
  throw new WeightsImportError(field, problem)
}

/** The deepest nesting of arrays and objects in a JSON text, stopping once past `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > deepest && (deepest = depth) > limit) return deepest
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--
  }
  return deepest
}

// ---- the document's shape ----

const Features = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.maxDimension))
const LayerSchema = v.variant(
  'type',
  [
    v.strictObject({ type: v.literal('Linear'), in_features: Features, out_features: Features, bias: v.boolean() }),
    v.strictObject({ type: v.literal('ReLU') }),
    v.strictObject({ type: v.literal('Tanh') }),
    v.strictObject({ type: v.literal('Sigmoid') }),
    v.strictObject({ type: v.literal('LeakyReLU'), negative_slope: v.pipe(v.number(), v.finite()) })
  ],
  (issue) => `must be Linear, ReLU, Tanh, Sigmoid or LeakyReLU, got ${show(issue.input)}`
)

/** Shape and dtype are checked here; `data` (maybe millions of numbers) by a plain loop later. */
const TensorSchema = v.strictObject({
  shape: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.maxDimension))), v.maxLength(8)),
  dtype: v.picklist(DTYPES, (issue) => `must be one of ${DTYPES.join(', ')}, got ${show(issue.input)}`),
  data: v.array(v.unknown(), 'must be a list of numbers')
})

const Plain = v.union([v.number(), v.boolean(), v.null(), v.pipe(v.array(v.number()), v.maxLength(2))])

const WeightsFileSchema = v.object({
  format: v.literal(WEIGHTS_FORMAT, (issue) => `must be "${WEIGHTS_FORMAT}", got ${show(issue.input)}: this is not an Optim Lab weights file`),
  version: v.literal(WEIGHTS_VERSION, (issue) => `must be ${WEIGHTS_VERSION}, got ${show(issue.input)}: this file is from another version of Optim Lab`),
  architecture: v.pipe(v.array(LayerSchema), v.minLength(1, 'must list at least one layer'), v.maxLength(2 * LIMITS.maxHiddenLayers + 1)),
  state_dict: v.record(v.string(), TensorSchema),
  optimizer: v.optional(
    v.strictObject({
      type: v.picklist(OPTIMIZER_NAMES, (issue) => `must be one of ${OPTIMIZER_NAMES.join(', ')}, got ${show(issue.input)}`),
      state_dict: v.strictObject({
        state: v.record(v.string(), v.record(v.string(), v.union([v.number(), TensorSchema], 'must be a tensor {shape, dtype, data} or a number'))),
        param_groups: v.pipe(
          v.array(v.looseObject({ params: v.array(v.pipe(v.number(), v.integer(), v.minValue(0))) })),
          v.minLength(1, 'must hold at least one group')
        )
      })
    })
  ),
  meta: v.looseObject({
    seed: v.pipe(v.number(), v.safeInteger()),
    steps: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    final_loss: v.nullable(v.number()),
    app: v.pipe(v.string(), v.maxLength(200))
  })
})

// ---- the result ----

export interface ImportedWeights {
  /** The configuration to build: the file's architecture, dtype, seed and optimizer over `base`. */
  config: LabConfig
  file: WeightsFile
  /** The file's optimizer state_dict, checked against the optimizer; null when the file has none. */
  optimizerState: NonNullable<WeightsFile['optimizer']>['state_dict'] | null
}

const ACTIVATION_OF_LAYER: Record<string, ActivationName> = { ReLU: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid', LeakyReLU: 'leaky_relu' }
/** Optim Lab's LeakyReLU uses PyTorch's default slope. */
const LEAKY_RELU_SLOPE = 0.01

function listKeys(keys: string[]): string {
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(k.length > 40 ? k.slice(0, 40) + '…' : k))
  return shown.join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : '')
}

/** Architecture → widths and activation, or the first inconsistency. */
function readArchitecture(layers: WeightsFile['architecture']): { widths: number[]; activation: ActivationName } {
  let activation: ActivationName | null = null
  const widths: number[] = []
  layers.forEach((layer, i) => {
    const field = `architecture[${i}]`
    const linear = i % 2 === 0
    if (linear !== (layer.type === 'Linear')) {
      fail(`${field}.type`, linear ? `must be Linear (layers alternate Linear and an activation), got ${show(layer.type)}` : `must be an activation between two Linear layers, got "Linear"`)
    }
    if (layer.type === 'Linear') {
      if (!layer.bias) fail(`${field}.bias`, 'must be true: Optim Lab builds every Linear layer with a bias')
      if (i === 0) widths.push(layer.in_features)
      else if (layer.in_features !== widths[widths.length - 1]) {
        fail(`${field}.in_features`, `must be ${widths[widths.length - 1]}, the out_features of layer ${i - 2}, got ${layer.in_features}`)
      }
      widths.push(layer.out_features)
      return
    }
    if (layer.type === 'LeakyReLU' && layer.negative_slope !== LEAKY_RELU_SLOPE) {
      fail(`${field}.negative_slope`, `must be ${LEAKY_RELU_SLOPE} (PyTorch's default, the one Optim Lab builds), got ${layer.negative_slope}`)
    }
    const name = ACTIVATION_OF_LAYER[layer.type]
    if (activation !== null && name !== activation) fail(`${field}.type`, `must be ${layers[1].type} like the other activations, got ${layer.type}`)
    activation = name
  })
  if (layers.length % 2 === 0) fail(`architecture[${layers.length - 1}]`, 'the last layer must be Linear')
  return { widths, activation: activation ?? 'relu' }
}

/** Checks one tensor's shape, dtype, length and values; `expected` is the shape it must have. */
function checkTensor(field: string, tensor: SerializedTensor, expected: readonly number[], dtype: DType | null): void {
  if (tensor.shape.length !== expected.length || tensor.shape.some((d, k) => d !== expected[k])) {
    fail(`${field}.shape`, `must be [${expected.join(', ')}], got [${tensor.shape.join(', ')}]`)
  }
  if (dtype !== null && tensor.dtype !== dtype) fail(`${field}.dtype`, `must be ${dtype} like the other tensors, got ${tensor.dtype}`)
  const numel = expected.reduce((a, b) => a * b, 1)
  if (tensor.data.length !== numel) fail(`${field}.data`, `must hold ${numel} numbers for shape [${expected.join(', ')}], got ${tensor.data.length}`)
  const data = tensor.data as unknown[]
  for (let k = 0; k < data.length; k++) {
    const x = data[k]
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${field}.data[${k}]`, `must be a finite number, got ${show(x)}`)
  }
}

/**
 * The state keys and which of them are 0-dim that `optimizer` creates for a parameter, found by
 * letting it take one step on a one-element weight with the group's hyperparameters.
 */
function stateLayout(optimizer: OptimizerName, hyper: Record<string, unknown>): Map<string, 'scalar' | 'tensor'> {
  const p = new Parameter(new Float32Array([1]), [1])
  const instance = createOptimizer(optimizer, [p], hyper as Partial<Hyperparameters>)
  p.grad = Tensor.fromArray([1], [1])
  instance.step()
  return new Map(Object.entries(instance.state.get(p) ?? {}).map(([key, t]) => [key, t.ndim === 0 ? 'scalar' : 'tensor']))
}

function checkOptimizer(
  section: NonNullable<WeightsFile['optimizer']>,
  paramShapes: number[][]
): { hyper: Record<string, unknown> } {
  const root = 'optimizer.state_dict'
  const type = section.type as OptimizerName // the schema admitted only OPTIMIZER_NAMES
  const { state, param_groups: groups } = section.state_dict
  if (groups.length !== 1) {
    fail(`${root}.param_groups`, `has ${groups.length} groups; Optim Lab resumes one group holding every parameter`)
  }
  const [group] = groups
  const count = paramShapes.length
  if (group.params.length !== count || group.params.some((id, k) => id !== k)) {
    fail(`${root}.param_groups[0].params`, `must be [${[...Array(count).keys()].join(', ')}] (the model's ${count} parameters in order), got [${group.params.slice(0, 10).join(', ')}${group.params.length > 10 ? ', …' : ''}]`)
  }
  const hyper: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(group)) {
    if (key === 'params' || SCHEDULER_GROUP_KEYS.includes(key)) continue // a scheduler's keys, not hyperparameters
    const parsed = v.safeParse(Plain, value)
    if (!parsed.success) fail(`${root}.param_groups[0].${key}`, `must be a number, true/false, null or a pair of numbers, got ${show(value)}`)
    hyper[key] = value
  }
  if (typeof hyper.lr !== 'number') fail(`${root}.param_groups[0].lr`, `must be a number, got ${show(hyper.lr)}`)
  const problem = checkHyperparameters(type, hyper)
  if (problem) fail(`${root}.param_groups[0].${problem.field}`, problem.message)

  const layout = stateLayout(type, hyper)
  const ids = Object.keys(state)
  const stray = ids.filter((id) => !/^(0|[1-9]\d*)$/.test(id) || Number(id) >= count)
  if (stray.length) fail(`${root}.state`, `has entries for parameters that do not exist: ${listKeys(stray)} (there are ${count})`)
  for (const id of ids) {
    const entry = state[id]
    const field = `${root}.state["${id}"]`
    const missing = [...layout.keys()].filter((key) => !(key in entry))
    const unexpected = Object.keys(entry).filter((key) => !layout.has(key))
    if (missing.length) fail(field, `misses ${listKeys(missing)}, which ${section.type} keeps for every parameter`)
    if (unexpected.length) fail(field, `has ${listKeys(unexpected)}, which ${section.type} with these hyperparameters does not keep`)
    for (const [key, value] of Object.entries(entry)) {
      if (layout.get(key) === 'scalar') {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(`${field}.${key}`, `must be a finite number of at least 0, got ${show(value)}`)
      } else {
        if (typeof value === 'number') fail(`${field}.${key}`, `must be a tensor of shape [${paramShapes[Number(id)].join(', ')}], got a number`)
        checkTensor(`${field}.${key}`, value as SerializedTensor, paramShapes[Number(id)], null)
      }
    }
  }
  return { hyper }
}

/**
 * Checks `text` as a weights file and returns the configuration to build: `base` (the form's data,
 * steps and reduction) with the file's architecture, dtype, seed and, when it has one, optimizer.
 * Throws WeightsImportError naming the first problem.
 */
export function readWeightsFile(
  text: string,
  base: LabConfig,
  { maxMemoryBytes, maxChars = LIMITS.maxWeightsChars }: { maxMemoryBytes?: number; maxChars?: number } = {}
): ImportedWeights {
  if (typeof text !== 'string') fail('', 'must be the text of a JSON file')
  if (text.length > maxChars) fail('', `it is ${text.length} characters long, more than the ${maxChars} allowed`)
  if (jsonDepth(text, MAX_WEIGHTS_DEPTH) > MAX_WEIGHTS_DEPTH) {
    fail('', `it nests more than ${MAX_WEIGHTS_DEPTH} levels deep, which no weights file does`)
  }
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    fail('', `it is not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  const parsed = v.safeParse(WeightsFileSchema, document, { abortEarly: true })
  if (!parsed.success) {
    const issue = parsed.issues[0]
    const missing = issue.input === undefined && issue.path?.length
    const message = missing ? 'is missing' : issue.message.replace(/^Invalid \w+: /, '')
    fail(issuePath(issue), message)
  }
  const file = (parsed as { output: unknown }).output as WeightsFile

  // Architecture and size, before any tensor is read.
  const { widths, activation } = readArchitecture(file.architecture)
  const tensors = Object.values(file.state_dict)
  const dtype = tensors[0]?.dtype ?? 'float32'
  const optimizer = (file.optimizer?.type as OptimizerName | undefined) ?? base.optimizer
  const config: LabConfig = {
    ...base,
    seed: file.meta.seed,
    dIn: widths[0],
    hidden: widths.slice(1, -1),
    dOut: widths[widths.length - 1],
    activation,
    dtype,
    optimizer,
    hyper: optimizer === base.optimizer ? { ...base.hyper } : { lr: base.hyper.lr }
  }
  const sized = parseLabConfig(config, '', maxMemoryBytes)
  if (!sized.ok) fail(sized.field === 'memory' ? 'architecture' : sized.field, sized.message)

  // Tensors against the architecture.
  const expected = new Map<string, number[]>()
  for (let l = 0; l + 1 < widths.length; l++) {
    expected.set(`${2 * l}.weight`, [widths[l + 1], widths[l]])
    expected.set(`${2 * l}.bias`, [widths[l + 1]])
  }
  const keys = Object.keys(file.state_dict)
  const missing = [...expected.keys()].filter((k) => !keys.includes(k))
  const unexpected = keys.filter((k) => !expected.has(k))
  if (missing.length) fail('state_dict', `Missing key(s) in state_dict: ${listKeys(missing)} (the architecture has ${expected.size} parameters)`)
  if (unexpected.length) fail('state_dict', `Unexpected key(s) in state_dict: ${listKeys(unexpected)}`)
  for (const [name, shape] of expected) checkTensor(`state_dict["${name}"]`, file.state_dict[name], shape, dtype)

  let optimizerState: ImportedWeights['optimizerState'] = null
  if (file.optimizer) {
    const { hyper } = checkOptimizer(file.optimizer, [...expected.values()])
    const accepted = new Set<string>(hyperparametersOf(optimizer))
    config.hyper = Object.fromEntries(Object.entries(hyper).filter(([key]) => accepted.has(key))) as unknown as Hyperparameters
    const final = parseLabConfig(config, '', maxMemoryBytes)
    if (!final.ok) fail(`optimizer.state_dict.param_groups[0]`, `${final.field}: ${final.message}`)
    optimizerState = file.optimizer.state_dict
  }
  return { config, file, optimizerState }
}
