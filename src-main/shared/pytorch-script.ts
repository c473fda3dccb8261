/**
 * The current experiment as a runnable PyTorch script, and the lines that load an exported weights
 * file into `torch.nn.Sequential`. The script is the tutorial's code with this configuration
 * filled in: same seed, same construction order (x, y, then the Linear layers), `.double()` after
 * construction for float64, the same optimizer groups and scheduler, and `print(t, loss.item())`
 * before each update, so its output diffs against the lab's.
 */
import {
  INTEGER_SCHEDULER_OPTIONS,
  OPTIMIZER_DEFAULTS,
  SCHEDULER_SPECS,
  classCount,
  hyperparametersOf,
  paramGroupLayout,
  zeroGradOf,
  type ActivationName,
  type LabConfig,
  type SchedulerOptionName
} from './config'
import { formatPythonFloat } from './python-format'
import { dataLines, lossLine } from './pytorch-script-data'
import type { ArchitectureLayer } from './weights-file'

export const SCRIPT_APP = 'optim-lab 0.1.0'

const ACTIVATION_MODULES: Record<ActivationName, string> = {
  relu: 'torch.nn.ReLU()',
  tanh: 'torch.nn.Tanh()',
  sigmoid: 'torch.nn.Sigmoid()',
  leaky_relu: 'torch.nn.LeakyReLU()'
}

const BOOLEAN_HYPERPARAMETERS = new Set(['nesterov', 'amsgrad', 'centered', 'maximize'])

/** A value as a Python literal: floats in `repr` form (so they parse back to the same double). */
function pythonValue(value: unknown, integer = false): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'string') return `"${value}"`
  if (typeof value === 'number') return integer ? String(value) : formatPythonFloat(value)
  if (Array.isArray(value)) return `[${value.map((v) => pythonValue(v, integer)).join(', ')}]`
  throw new TypeError(`cannot write ${String(value)} as Python`)
}

function hyperValue(key: string, value: unknown): string {
  if (key === 'betas') return `(${(value as number[]).map((b) => formatPythonFloat(b)).join(', ')})`
  return BOOLEAN_HYPERPARAMETERS.has(key) ? pythonValue(Boolean(value)) : pythonValue(value)
}

function sameValue(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b
}

/**
 * `key=value` for the optimizer's keyword arguments: lr always, other keys only where they differ
 * from PyTorch's default (the script stays as short as the tutorial's `Adam(..., lr=1e-4)`).
 */
function optimizerKeywords(config: LabConfig): string[] {
  const defaults = OPTIMIZER_DEFAULTS[config.optimizer] as unknown as Record<string, unknown>
  const hyper = config.hyper as unknown as Record<string, unknown>
  return hyperparametersOf(config.optimizer)
    .filter((key) => hyper[key] !== undefined && (key === 'lr' || !sameValue(hyper[key], defaults[key])))
    .map((key) => `${key}=${hyperValue(key, hyper[key])}`)
}

/** The group dicts' own keys (those set in `groupHyper[g]`), as `"key": value`. */
function groupEntries(config: LabConfig, g: number): string[] {
  const entry = (config.groupHyper?.[g] ?? {}) as Record<string, unknown>
  return hyperparametersOf(config.optimizer)
    .filter((key) => entry[key] !== undefined)
    .map((key) => `"${key}": ${hyperValue(key, entry[key])}`)
}

function optimizerLines(config: LabConfig): string[] {
  const cls = `torch.optim.${config.optimizer}`
  const keywords = optimizerKeywords(config)
  const layout = paramGroupLayout(config)
  const entries = layout.map((_, g) => groupEntries(config, g))
  if (layout.length === 1 && entries[0].length === 0) {
    return [`optimizer = ${cls}(model.parameters(), ${keywords.join(', ')})`]
  }
  const source = (layers: number[]): string =>
    layout.length === 1 ? 'model.parameters()' : `model[${layers[0]}].parameters()`
  const lines = ['# param_groups: one dict per group; keys a group leaves out take the values below', `optimizer = ${cls}(`, '    [']
  layout.forEach((group, g) => {
    lines.push(`        {${[`"params": ${source(group.layers)}`, ...entries[g]].join(', ')}},  # ${group.params.join(', ')}`)
  })
  lines.push('    ],', ...keywords.map((k) => `    ${k},`), ')')
  return lines
}

function schedulerLines(config: LabConfig): string[] {
  const scheduler = config.scheduler
  if (!scheduler) return []
  const spec = SCHEDULER_SPECS[scheduler.kind]
  const options = { ...scheduler.options } as Record<string, unknown>
  // The cycle spans the run unless told otherwise; PyTorch needs the number.
  if (scheduler.kind === 'OneCycleLR' && options.total_steps === undefined) options.total_steps = config.steps
  const keywords = spec.options
    .filter((key) => options[key] !== undefined)
    .map((key) => `${key}=${pythonValue(options[key], INTEGER_SCHEDULER_OPTIONS.includes(key as SchedulerOptionName))}`)
  return [`scheduler = torch.optim.lr_scheduler.${scheduler.kind}(optimizer, ${keywords.join(', ')})`]
}

/** The loop's `zero_grad()` line as `config.zeroGrad` asks (commented out for 'skip'). */
function zeroGradLines(config: LabConfig): string[] {
  switch (zeroGradOf(config)) {
    case 'set_to_none':
      return ['    optimizer.zero_grad()']
    case 'zeros':
      return ['    optimizer.zero_grad(set_to_none=False)  # .grad stays a tensor, filled with zeros']
    case 'skip':
      return [
        '    # optimizer.zero_grad()  # left out on purpose: backward() adds into .grad, so gradients',
        '    #                        # accumulate across steps (the mistake this run shows)'
      ]
  }
}

/** Names of the sizes as the tutorial writes them: N, D_in, H, D_out (H1, H2, ... for several). */
function sizeNames(config: LabConfig): { names: string[]; values: number[]; hidden: string[] } {
  const hidden = config.hidden.length === 1 ? ['H'] : config.hidden.map((_, i) => `H${i + 1}`)
  return { names: ['N', 'D_in', ...hidden, 'D_out'], values: [config.n, config.dIn, ...config.hidden, config.dOut], hidden }
}

/** A runnable Python script that reproduces `config`'s run in PyTorch 2.x. */
export function pytorchScript(config: LabConfig): string {
  const { names, values, hidden } = sizeNames(config)
  const widths = ['D_in', ...hidden, 'D_out']
  const layers: string[] = []
  for (let i = 0; i + 1 < widths.length; i++) {
    layers.push(`torch.nn.Linear(${widths[i]}, ${widths[i + 1]}),`)
    if (i + 2 < widths.length) layers.push(`${ACTIVATION_MODULES[config.activation]},`)
  }
  const plateau = config.scheduler?.kind === 'ReduceLROnPlateau'
  const float32Note =
    config.dtype === 'float32'
      ? ['# float32: expect the same numbers up to the last digits (a BLAS adds matrix products up in', '# its own order).']
      : ['# float64: expect the same numbers to about 1e-9.']
  const lines = [
    `# Optim Lab's run as a PyTorch script (generated by ${SCRIPT_APP}). Run it with PyTorch 2.x:`,
    '#     python this_script.py',
    '# Same seed, same order of random draws, same optimizer: it prints "t loss" per step as the app does.',
    ...float32Note,
    'import torch',
    '',
    'torch.set_num_threads(1)  # optional: one thread makes the order of sums, and so the last digits, repeatable',
    `torch.manual_seed(${config.seed})`,
    '',
    `${names.join(', ')} = ${values.join(', ')}`,
    ...dataLines(config),
    '',
    '# The Linear layers draw their initial weights in this order, right after x and y.',
    'model = torch.nn.Sequential(',
    ...layers.map((l, i) => `    ${l}  # ${i}`),
    ')'
  ]
  if (config.dtype === 'float64') {
    lines.push(
      '# float64: drawn in float32 exactly as above, then cast; every later operation is in double.',
      // Class indices stay integers (CrossEntropyLoss wants a Long target).
      classCount(config) === null ? 'x, y, model = x.double(), y.double(), model.double()' : 'x, model = x.double(), model.double()'
    )
  }
  lines.push(
    '',
    lossLine(config),
    ...optimizerLines(config),
    ...schedulerLines(config),
    '',
    `for t in range(${config.steps}):`,
    '    y_pred = model(x)',
    '    loss = loss_fn(y_pred, y)',
    '    print(t, loss.item())',
    '',
    ...zeroGradLines(config),
    '    loss.backward()',
    '    optimizer.step()'
  )
  if (config.scheduler) lines.push(plateau ? '    scheduler.step(loss.item())  # ReduceLROnPlateau watches a metric: the step\'s loss' : '    scheduler.step()')
  return lines.join('\n') + '\n'
}

function layerLine(layer: ArchitectureLayer): string {
  switch (layer.type) {
    case 'Linear':
      return `torch.nn.Linear(${layer.in_features}, ${layer.out_features}${layer.bias ? '' : ', bias=False'}),`
    case 'LeakyReLU':
      return `torch.nn.LeakyReLU(${formatPythonFloat(layer.negative_slope)}),`
    default:
      return `torch.nn.${layer.type}(),`
  }
}

/**
 * Python that loads an exported weights file (DESIGN §6) into the matching `torch.nn.Sequential`
 * and, when the file holds optimizer state, resumes the optimizer with its param groups.
 */
export function loadWeightsSnippet(architecture: readonly ArchitectureLayer[], path = 'weights.json'): string {
  return [
    'import json',
    '',
    'import torch',
    '',
    `with open(${JSON.stringify(path)}) as f:  # the file Optim Lab exported`,
    '    d = json.load(f)',
    '',
    'model = torch.nn.Sequential(',
    ...architecture.map((layer) => `    ${layerLine(layer)}`),
    ')',
    'state = {k: torch.tensor(v["data"], dtype=getattr(torch, v["dtype"])).reshape(v["shape"]) for k, v in d["state_dict"].items()}',
    'model = model.to(next(iter(state.values())).dtype)  # a float64 file needs a float64 model',
    'model.load_state_dict(state)',
    '',
    '# Optional: resume the optimizer where the lab stopped (the file has it after at least one step).',
    'if "optimizer" in d:',
    '    saved = d["optimizer"]["state_dict"]',
    '    params = list(model.parameters())',
    '    groups = [{"params": [params[i] for i in g["params"]]} for g in saved["param_groups"]]',
    '    optimizer = getattr(torch.optim, d["optimizer"]["type"])(groups)',
    '',
    '    def as_tensor(v):  # {"shape", "dtype", "data"}, or a plain number for 0-dim state such as step',
    '        if isinstance(v, dict):',
    '            return torch.tensor(v["data"], dtype=getattr(torch, v["dtype"])).reshape(v["shape"])',
    '        return torch.tensor(float(v))',
    '',
    '    optimizer.load_state_dict({',
    '        "state": {int(i): {k: as_tensor(v) for k, v in s.items()} for i, s in saved["state"].items()},',
    '        "param_groups": saved["param_groups"],',
    '    })',
    ''
  ].join('\n')
}
