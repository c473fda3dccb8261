/**
 * Importing a weights file someone handed over: every malformed or hostile variant is refused with
 * a message naming the value at fault; a good file rebuilds the exported run exactly.
 */
import { describe, expect, it } from 'vitest'
import type { LabConfig } from '../../src-main/shared/config'
import { TrainingSession } from '../../src-main/engine/train/session'
import { Run } from '../../src-main/host/run'
import { WeightsImportError, jsonDepth, readWeightsFile } from '../../src-main/shared/weights-import'
import type { WeightsFile } from '../../src-main/shared/weights-file'
import { smallConfig } from '../host/engine-client'

/** The form's configuration when the file is imported: other data size, optimizer and steps. */
const base: LabConfig = smallConfig({ optimizer: 'SGD', hyper: { lr: 0.5 }, steps: 40, seed: 99 })

function exported(config: LabConfig, steps: number): WeightsFile {
  const session = new TrainingSession(config)
  for (let t = 0; t < steps; t++) session.step()
  return JSON.parse(JSON.stringify(session.exportWeights(session.evaluateLoss()))) as WeightsFile
}

const trained = exported(smallConfig({ optimizer: 'Adam', hyper: { lr: 1e-2, amsgrad: true }, seed: 7 }), 12)

function problemOf(text: string): { field: string; problem: string } {
  try {
    readWeightsFile(text, base)
  } catch (error) {
    expect(error).toBeInstanceOf(WeightsImportError)
    const { field, problem } = error as WeightsImportError
    return { field, problem }
  }
  throw new Error('the file was accepted')
}

/** A copy of the trained file with `edit` applied. */
function variant(edit: (file: any) => void): string {
  const file = structuredClone(trained) as any
  edit(file)
  return JSON.stringify(file)
}

describe('readWeightsFile', () => {
  it('accepts an exported file and resumes it exactly where training stopped', () => {
    const imported = readWeightsFile(JSON.stringify(trained), base)
    expect(imported.config).toMatchObject({
      seed: 7,
      dIn: 5,
      hidden: [6],
      dOut: 3,
      optimizer: 'Adam',
      hyper: { lr: 1e-2, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: true, maximize: false },
      steps: 40
    })
    expect(imported.optimizerState).not.toBeNull()

    // Continue the original for 5 steps; the imported run must give the very same losses.
    const original = new TrainingSession(smallConfig({ optimizer: 'Adam', hyper: { lr: 1e-2, amsgrad: true }, seed: 7 }))
    for (let t = 0; t < 12; t++) original.step()
    const expected = Array.from({ length: 5 }, () => original.step())
    const run = Run.fromWeights('r', imported)
    expect(run.status).toBe('paused')
    expect(Array.from({ length: 5 }, () => run.stepOnce())).toEqual(expected)
  })

  it('takes initial weights without optimizer state, keeping the form’s optimizer', () => {
    const initial = exported(smallConfig({ seed: 3 }), 0)
    expect(initial.optimizer).toBeUndefined()
    const imported = readWeightsFile(JSON.stringify(initial), base)
    expect(imported.config).toMatchObject({ seed: 3, optimizer: 'SGD', hyper: { lr: 0.5 } })
    expect(imported.optimizerState).toBeNull()
    const run = Run.fromWeights('r', imported)
    const session = new TrainingSession({ ...base, seed: 3 })
    expect(run.stepOnce()).toBe(session.step())
  })

  it.each([
    ['not JSON', '{"format": "optim-lab/state-dict",', '', /^it is not JSON \(/],
    ['a JSON number', '42', '', /^Invalid type: Expected Object but received 42$|must be an object|Expected Object/],
    ['an empty file', '', '', /^it is not JSON/],
    ['deep nesting', '['.repeat(100_000) + ']'.repeat(100_000), '', /^it nests more than 12 levels deep/],
    ['another format', variant((f) => (f.format = 'pytorch/pickle')), 'format', /^must be "optim-lab\/state-dict", got "pytorch\/pickle": this is not an Optim Lab weights file$/],
    ['another version', variant((f) => (f.version = 2)), 'version', /^must be 1, got 2: this file is from another version/],
    ['an unknown layer', variant((f) => (f.architecture[1] = { type: 'GELU' })), 'architecture[1].type', /^must be Linear, ReLU, Tanh, Sigmoid or LeakyReLU, got "GELU"$/],
    ['widths that do not chain', variant((f) => (f.architecture[2].in_features = 7)), 'architecture[2].in_features', /^must be 6, the out_features of layer 0, got 7$/],
    ['two Linear in a row', variant((f) => (f.architecture[1] = { type: 'Linear', in_features: 6, out_features: 6, bias: true })), 'architecture[1].type', /must be an activation/],
    ['a layer without bias', variant((f) => (f.architecture[0].bias = false)), 'architecture[0].bias', /must be true/],
    ['a huge architecture', variant((f) => (f.architecture[0].in_features = 1_000_000) && (f.architecture[0].out_features = 1_000_000) && (f.architecture[2].in_features = 1_000_000)), 'architecture', /needs about .* more than the 1\.0 GiB allowed/],
    ['a missing tensor', variant((f) => delete f.state_dict['2.bias']), 'state_dict', /^Missing key\(s\) in state_dict: "2\.bias"/],
    ['an extra tensor', variant((f) => (f.state_dict['4.weight'] = f.state_dict['2.bias'])), 'state_dict', /^Unexpected key\(s\) in state_dict: "4\.weight"/],
    ['a shape that does not match', variant((f) => (f.state_dict['0.weight'].shape = [5, 6])), 'state_dict["0.weight"].shape', /^must be \[6, 5\], got \[5, 6\]$/],
    ['too few numbers', variant((f) => f.state_dict['0.bias'].data.pop()), 'state_dict["0.bias"].data', /^must hold 6 numbers for shape \[6\], got 5$/],
    ['a huge array', variant((f) => (f.state_dict['0.bias'].data = new Array(200_000).fill(0))), 'state_dict["0.bias"].data', /must hold 6 numbers .* got 200000/],
    ['a string among the numbers', variant((f) => (f.state_dict['2.weight'].data[4] = 'NaN')), 'state_dict["2.weight"].data[4]', /^must be a finite number, got "NaN"$/],
    ['null (NaN written by JSON)', variant((f) => (f.state_dict['2.weight'].data[1] = null)), 'state_dict["2.weight"].data[1]', /^must be a finite number, got null$/],
    ['an infinite number', JSON.stringify(trained).replace(/("0\.bias":\{"shape":\[6\],"dtype":"float32","data":\[)[^,]+/, '$11e999'), 'state_dict["0.bias"].data[0]', /^must be a finite number, got Infinity$/],
    ['an unknown dtype', variant((f) => (f.state_dict['0.bias'].dtype = 'int8')), 'state_dict["0.bias"].dtype', /^must be one of float32, float64, got "int8"$/],
    ['mixed dtypes', variant((f) => (f.state_dict['2.bias'].dtype = 'float64')), 'state_dict["2.bias"].dtype', /^must be float32 like the other tensors, got float64$/],
    ['an unknown optimizer', variant((f) => (f.optimizer.type = 'LBFGS')), 'optimizer.type', /^must be one of SGD, Adam, .* got "LBFGS"$/],
    ['an invalid learning rate', variant((f) => (f.optimizer.state_dict.param_groups[0].lr = -1)), 'optimizer.state_dict.param_groups[0].lr', /^Invalid learning rate: -1$/],
    ['an unknown hyperparameter', variant((f) => (f.optimizer.state_dict.param_groups[0].warp = 9)), 'optimizer.state_dict.param_groups[0].warp', /Adam\.__init__\(\) got an unexpected keyword argument 'warp'/],
    ['params out of order', variant((f) => (f.optimizer.state_dict.param_groups[0].params = [1, 0, 2, 3])), 'optimizer.state_dict.param_groups[0].params', /^must be \[0, 1, 2, 3\]/],
    ['state for a parameter that does not exist', variant((f) => (f.optimizer.state_dict.state['9'] = f.optimizer.state_dict.state['0'])), 'optimizer.state_dict.state', /parameters that do not exist: "9"/],
    ['state of the wrong shape', variant((f) => (f.optimizer.state_dict.state['0'].exp_avg.shape = [30])), 'optimizer.state_dict.state["0"].exp_avg.shape', /^must be \[6, 5\], got \[30\]$/],
    ['state missing a buffer', variant((f) => delete f.optimizer.state_dict.state['1'].max_exp_avg_sq), 'optimizer.state_dict.state["1"]', /misses "max_exp_avg_sq", which Adam keeps/],
    ['state from another optimizer', variant((f) => (f.optimizer.state_dict.state['1'].momentum_buffer = f.optimizer.state_dict.state['1'].exp_avg)), 'optimizer.state_dict.state["1"]', /has "momentum_buffer", which Adam with these hyperparameters does not keep/],
    ['a negative step', variant((f) => (f.optimizer.state_dict.state['2'].step = -3)), 'optimizer.state_dict.state["2"].step', /at least 0, got -3/],
    ['a NaN in optimizer state', variant((f) => (f.optimizer.state_dict.state['3'].exp_avg_sq.data[0] = null)), 'optimizer.state_dict.state["3"].exp_avg_sq.data[0]', /finite number, got null/],
    ['no meta', variant((f) => delete f.meta), 'meta', /^is missing$/],
    ['no architecture', variant((f) => delete f.architecture), 'architecture', /^is missing$/],
    ['a prototype-polluting key', variant((f) => (f.state_dict = JSON.parse(JSON.stringify(f.state_dict).replace('"0.bias"', '"__proto__"')))), 'state_dict', /Missing key\(s\) in state_dict: "0\.bias"/]
  ])('refuses %s, naming %j', (_what, text, field, problem) => {
    const found = problemOf(text)
    expect(found.field).toBe(field)
    expect(found.problem).toMatch(problem)
    expect(({} as Record<string, unknown>).shape).toBeUndefined()
  })

  it('refuses a text larger than the limit without parsing it', () => {
    const text = JSON.stringify(trained)
    expect(() => readWeightsFile(text, base, { maxChars: 1000 })).toThrow(`it is ${text.length} characters long, more than the 1000 allowed`)
  })

  it('measures nesting depth outside strings only', () => {
    expect(jsonDepth('{"a": [1, {"b": "[[[["}]}')).toBe(3)
    expect(jsonDepth('"\\"[[["')).toBe(0)
    expect(jsonDepth('[[[[[[', 3)).toBe(4)
  })
})
