import { Parameter, Tensor } from '../tensor/tensor'
import { allocateLasting, type DType } from '../tensor/dtype'

/**
 * `torch.nn.Module`: parameters and children registered by name, so `named_parameters()` and
 * `state_dict()` produce PyTorch's keys (`0.weight`, `2.bias`, ...) in registration order.
 */
export abstract class Module {
  training = true
  protected readonly parametersByName = new Map<string, Parameter>()
  protected readonly children = new Map<string, Module>()

  abstract forward(input: Tensor): Tensor

  /** Calling the module runs `forward`, as `model(x)` does. */
  call(input: Tensor): Tensor {
    return this.forward(input)
  }

  protected registerParameter(name: string, parameter: Parameter): void {
    this.parametersByName.set(name, parameter)
  }

  protected registerModule(name: string, module: Module): void {
    this.children.set(name, module)
  }

  *namedParameters(prefix = ''): Generator<[string, Parameter]> {
    for (const [name, p] of this.parametersByName) yield [prefix + name, p]
    for (const [name, child] of this.children) yield* child.namedParameters(`${prefix}${name}.`)
  }

  /** The very parameter objects, in registration order (not copies). */
  parameters(): Parameter[] {
    return [...this.namedParameters()].map(([, p]) => p)
  }

  *namedChildren(): Generator<[string, Module]> {
    yield* this.children
  }

  /** Views of the parameters' values keyed like PyTorch's `state_dict()`. */
  stateDict(): Map<string, Tensor> {
    return new Map([...this.namedParameters()].map(([name, p]) => [name, p.detach()]))
  }

  /** Copies values in place (the parameter objects stay the same), checking keys and shapes. */
  loadStateDict(values: Map<string, Tensor> | Record<string, Tensor>): void {
    const entries = values instanceof Map ? values : new Map(Object.entries(values))
    const own = new Map(this.namedParameters())
    const missing = [...own.keys()].filter((k) => !entries.has(k))
    const unexpected = [...entries.keys()].filter((k) => !own.has(k))
    if (missing.length || unexpected.length) {
      const parts = []
      if (missing.length) parts.push(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}.`)
      if (unexpected.length) parts.push(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}.`)
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${parts.join('\n\t')}`)
    }
    for (const [name, p] of own) {
      const source = entries.get(name)!
      if (source.shape.join() !== p.shape.join()) {
        throw new Error(
          `Error(s) in loading state_dict for ${this.constructor.name}:\n\tsize mismatch for ${name}: copying a param with shape [${source.shape.join(', ')}] from checkpoint, the shape in current model is [${p.shape.join(', ')}].`
        )
      }
    }
    for (const [name, p] of own) p.data.set(entries.get(name)!.data)
  }

  /** Sets every parameter's `.grad` to null (or zero), like `model.zero_grad()`. */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (!p.grad) continue
      if (setToNone) p.grad = null
      else p.grad.data.fill(0)
    }
  }

  train(mode = true): this {
    this.training = mode
    for (const child of this.children.values()) child.train(mode)
    return this
  }

  eval(): this {
    return this.train(false)
  }

  /** PyTorch's `.double()` / `.float()`: converts parameters in place, keeping their identity. */
  to(dtype: DType): this {
    for (const p of this.parameters()) {
      if (p.dtype === dtype) continue
      const converted = allocateLasting(dtype, p.numel)
      converted.set(p.data)
      p.data = converted
      if (p.grad) p.grad = p.grad.to(dtype)
    }
    return this
  }

  /** A one-line description like PyTorch's repr, e.g. `Linear(in_features=1000, out_features=100, bias=True)`. */
  abstract describe(): string
}
