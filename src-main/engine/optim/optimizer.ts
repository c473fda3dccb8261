import { Tensor } from '../tensor/tensor'
import { allocateLasting, type DType, type Storage } from '../tensor/dtype'
import { formatPythonFloat } from '../../shared/python-format'

/**
 * `torch.optim.Optimizer` (PyTorch 2.x): the bookkeeping every algorithm shares. Subclasses validate
 * their hyperparameters, then implement two hooks, `initState` and `updateParam`, while this class
 * owns `paramGroups`, `state`, `step()`, `zeroGrad()`, `addParamGroup()` and the state dict.
 *
 * - Parameters are held, never copied: `paramGroups[0].params[i]` is the model's own object, and
 *   `step()` writes into its `data` in place.
 * - `state` is keyed by the parameter object; its tensors keep PyTorch's names (`exp_avg`, `step`).
 * - Every hyperparameter is read from its group at each step, so `group.lr = …` (a scheduler)
 *   takes effect at the next `step()`.
 */

/** `ValueError` as PyTorch raises it; the name survives serialisation to the UI. */
export class ValueError extends Error {
  override name = 'ValueError'
}

/** The hyperparameters of one group, keyed exactly as in PyTorch (`lr`, `betas`, `weight_decay`, …). */
export type GroupOptions = { lr: number } & Record<string, unknown>

/** One entry of `optimizer.param_groups`: the parameters plus every hyperparameter. */
export type ParamGroup<O extends GroupOptions = GroupOptions> = O & { params: Tensor[] }

/** A group as a user passes it: `{ params: model.parameters(), lr: 1e-2 }`; missing keys take the defaults. */
export type ParamGroupInput<O extends GroupOptions = GroupOptions> = Partial<O> & { params: Tensor | Iterable<Tensor> }

/** What an optimizer constructor accepts: parameters, or a list of groups. */
export type ParamsInput<O extends GroupOptions = GroupOptions> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>

/** `optimizer.state[p]`: PyTorch's keys (`step`, `exp_avg`, …); `step` is a 0-dim float32 tensor. */
export type ParamState = Record<string, Tensor>

/**
 * `optimizer.state_dict()` in PyTorch's layout. Parameters become integer ids, numbered across groups
 * in order. State tensors are the optimizer's own tensors (not copies), except that 0-dim tensors
 * (`step`, NAdam's `mu_product`) appear as plain numbers, as the reference fixtures store them.
 */
export interface OptimizerStateDict {
  state: Record<number, Record<string, Tensor | number>>
  param_groups: (Record<string, unknown> & { params: number[] })[]
}

export abstract class Optimizer<O extends GroupOptions = GroupOptions> {
  readonly defaults: Readonly<O>
  readonly paramGroups: ParamGroup<O>[] = []
  readonly state = new Map<Tensor, ParamState>()

  constructor(params: ParamsInput<O>, defaults: O) {
    this.defaults = defaults
    if (params instanceof Tensor) {
      throw new TypeError(
        `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typeName(params)}`
      )
    }
    let groups = Array.from(params as Iterable<unknown>)
    if (groups.length === 0) throw new ValueError('optimizer got an empty parameter list')
    if (!isPlainObject(groups[0])) groups = [{ params: groups }]
    for (const group of groups) this.addParamGroup(group as ParamGroupInput<O>)
  }

  /** Fresh state for a parameter's first step, or `undefined` when the algorithm keeps none. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): ParamState | undefined

  /** Update one parameter in place from its gradient. */
  protected abstract updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<O>): void

  /** One optimisation step over every parameter whose `.grad` is not null (the others are skipped). */
  step(): void {
    for (const group of this.paramGroups) {
      for (const param of group.params) {
        const grad = param.grad
        if (grad === null) continue
        if (grad.numel !== param.numel || grad.dtype !== param.dtype) {
          throw new Error(`gradient ${grad} does not match parameter ${param}`)
        }
        let state = this.state.get(param)
        if (state === undefined) {
          // Lazy state initialization
          state = this.initState(param, group)
          if (state !== undefined) this.state.set(param, state)
        }
        this.updateParam(param, grad, state ?? {}, group)
      }
    }
  }

  /** `zero_grad(set_to_none=True)`: grads become null; with `false` they are detached and zeroed. */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const param of group.params) {
        const grad = param.grad
        if (grad === null) continue
        if (setToNone) {
          param.grad = null
        } else {
          grad.gradFn = null
          grad.requiresGrad = false
          grad.data.fill(0)
        }
      }
    }
  }

  /** `add_param_group`: fills missing hyperparameters from `defaults`, rejecting shared parameters. */
  addParamGroup(paramGroup: ParamGroupInput<O>): void {
    if (!isPlainObject(paramGroup)) {
      throw new TypeError(`param_group must be a dict, but got <class '${typeName(paramGroup)}'>`)
    }
    const raw: unknown = paramGroup.params
    let params: unknown[]
    if (raw instanceof Tensor) params = [raw]
    else if (raw instanceof Set) {
      throw new TypeError(
        'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.'
      )
    } else if (isIterable(raw)) params = Array.from(raw)
    else if (raw === undefined) throw new Error("KeyError: 'params'")
    else throw new TypeError(`'${typeName(raw)}' object is not iterable`)

    for (const param of params) {
      if (!(param instanceof Tensor)) {
        throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${typeName(param)}`)
      }
      if (!this.defaults.differentiable && !param.isLeaf) throw new ValueError("can't optimize a non-leaf Tensor")
    }
    // The user's keys in their order, then every missing default (PyTorch's setdefault).
    const group: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(paramGroup)) {
      if (value !== undefined) group[key] = key === 'params' ? params : copyValue(value) // undefined: not given
    }
    for (const [key, value] of Object.entries(this.defaults)) if (!(key in group)) group[key] = copyValue(value)

    if (new Set(params).size !== params.length) {
      console.warn(
        'optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information'
      )
    }
    const taken = new Set(this.paramGroups.flatMap((g) => g.params))
    if (params.some((p) => taken.has(p as Tensor))) {
      throw new ValueError('some parameters appear in more than one parameter group')
    }
    this.paramGroups.push(group as ParamGroup<O>)
  }

  /** `state_dict()`: see `OptimizerStateDict`. */
  stateDict(): OptimizerStateDict {
    const ids = new Map<Tensor, number>()
    let start = 0
    const paramGroups = this.paramGroups.map((group) => {
      const packed: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(group)) if (key !== 'params') packed[key] = copyValue(value)
      group.params.forEach((p, i) => {
        if (!ids.has(p)) ids.set(p, start + i)
      })
      start += group.params.length
      return Object.assign(packed, { params: group.params.map((p) => ids.get(p)!) })
    })
    const state: OptimizerStateDict['state'] = {}
    for (const [param, paramState] of this.state) {
      const id = ids.get(param)
      if (id === undefined) continue
      const packed: Record<string, Tensor | number> = {}
      for (const [key, t] of Object.entries(paramState)) packed[key] = t.ndim === 0 ? t.item() : t
      state[id] = packed
    }
    return { state, param_groups: paramGroups }
  }

  /**
   * `load_state_dict(sd)`: checks the group structure, maps saved ids to this optimizer's parameters
   * positionally and replaces every group's hyperparameters (keeping its `params`). State is copied,
   * cast to the parameter's dtype except `step`, which stays float32. State saved for ids that map to
   * no parameter is dropped (PyTorch keeps it under the integer key; a Map keyed by parameter cannot).
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const groups = this.paramGroups
    const saved = stateDict.param_groups.map((g) => copyValue(g) as Record<string, unknown> & { params: number[] })
    if (groups.length !== saved.length) {
      throw new ValueError('loaded state dict has a different number of parameter groups')
    }
    if (groups.some((g, i) => g.params.length !== saved[i].params.length)) {
      throw new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group")
    }
    const savedIds = saved.flatMap((g) => g.params)
    const params = groups.flatMap((g) => g.params)
    const idMap = new Map(savedIds.map((id, i) => [id, params[i]]))

    const state = new Map<Tensor, ParamState>()
    for (const [key, values] of Object.entries(stateDict.state)) {
      const param = idMap.get(Number(key))
      if (param === undefined) continue
      const paramState: ParamState = {}
      for (const [name, value] of Object.entries(values)) paramState[name] = castState(param, name, value)
      state.set(param, paramState)
    }
    this.state.clear()
    for (const [param, paramState] of state) this.state.set(param, paramState)
    const loaded = saved.map((g, i) => Object.assign(g, { params: groups[i].params }) as unknown as ParamGroup<O>)
    this.paramGroups.splice(0, this.paramGroups.length, ...loaded)
  }
}

// ---- helpers shared by the optimizers ----

/** A zero tensor with the parameter's shape and dtype (`torch.zeros_like(p)`). */
export function zerosLike(param: Tensor): Tensor {
  return new Tensor(allocateLasting(param.dtype, param.numel), param.shape)
}

/** `state['step'] += 1` on the 0-dim float32 step tensor; returns `step.item()`. */
export function incrementStep(state: ParamState): number {
  const step = state.step.data
  step[0] += 1
  return step[0]
}

/** Whether a storage holds float32, i.e. the update must round like float32 ATen kernels. */
export function isFloat32(data: Storage): data is Float32Array {
  return data instanceof Float32Array
}

/**
 * A number as Python prints it inside PyTorch's messages: integral values like Python ints (`-1`),
 * others like `repr(float)` (`1e-05`, `nan`).
 */
export function formatNumber(value: unknown): string {
  if (typeof value !== 'number') return String(value)
  return Number.isInteger(value) ? String(value) : formatPythonFloat(value)
}

/**
 * Constructor options merged over `defaults`, keeping the key order of `defaults` (write it in the
 * order torch 2.13 stores it: `state_dict()["param_groups"]` shows it). An option the constructor does
 * not take is a TypeError, as in Python.
 */
export function resolveOptions<O extends GroupOptions>(className: string, defaults: O, options: Partial<O>): O {
  for (const key of Object.keys(options)) {
    if (!(key in defaults)) {
      throw new TypeError(`${className}.__init__() got an unexpected keyword argument '${key}'`)
    }
  }
  const resolved: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(defaults)) {
    resolved[key] = copyValue(options[key] !== undefined ? options[key] : value)
  }
  return resolved as O
}

/**
 * Optim Lab runs PyTorch's single-tensor (for-loop) path, which is what CPU tensors get by default.
 * The foreach / fused / capturable / differentiable paths round differently, so asking for them is
 * an error rather than a silent substitution.
 */
export function rejectImplementationFlags(options: GroupOptions): void {
  for (const flag of ['foreach', 'fused', 'capturable', 'differentiable']) {
    if (options[flag]) {
      throw new ValueError(`${flag}=True is not supported: Optim Lab implements PyTorch's single-tensor (for-loop) path`)
    }
  }
}

/** `if not 0.0 <= value: raise ValueError(message + value)`, NaN included. */
export function requireNonNegative(value: unknown, message: string): void {
  if (!(typeof value === 'number' && value >= 0)) throw new ValueError(`${message}: ${formatNumber(value)}`)
}

/** Validates `betas` as Adam-family constructors do: each in [0, 1). */
export function requireBetas(betas: unknown): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new TypeError(`betas must be a pair of numbers, but got ${JSON.stringify(betas)}`)
  }
  betas.forEach((beta, i) => {
    if (!(typeof beta === 'number' && beta >= 0 && beta < 1)) {
      throw new ValueError(`Invalid beta parameter at index ${i}: ${formatNumber(beta)}`)
    }
  })
}

function castState(param: Tensor, name: string, value: Tensor | number): Tensor {
  const dtype: DType = name === 'step' ? 'float32' : param.dtype
  if (typeof value === 'number') return Tensor.scalar(value, dtype)
  const cast = name === 'step' ? value.clone() : value.dtype === dtype ? value.clone() : value.to(dtype)
  if (cast.ndim > 0 && cast.numel !== param.numel) {
    throw new ValueError(`loaded state '${name}' has shape [${cast.shape.join(', ')}], the parameter [${param.shape.join(', ')}]`)
  }
  return cast
}

/** Arrays and plain objects copied deeply; tensors and other values shared. */
function copyValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyValue) as T
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyValue(v)])) as T
  }
  return value
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value
}

/** `torch.typename(value)` for what a JS caller might pass. */
function typeName(value: unknown): string {
  if (value instanceof Tensor) return value.dtype === 'float32' ? 'torch.FloatTensor' : 'torch.DoubleTensor'
  if (value === null || value === undefined) return 'NoneType'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  if (typeof value === 'string') return 'str'
  if (typeof value === 'boolean') return 'bool'
  if (Array.isArray(value)) return 'list'
  if (isPlainObject(value)) return 'dict'
  return (value as object).constructor?.name ?? typeof value
}
