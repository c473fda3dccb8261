import { allocate, dtypeOf, numelOf, type DType, type Storage } from './dtype'
import { backward as runBackward, type GradFn } from '../autograd/graph'

let nextTensorId = 1

export interface TensorOptions {
  requiresGrad?: boolean
}

/**
 * A dense, contiguous, row-major tensor. Every tensor gets a stable `id` when created: the number
 * the app shows as Python's `id()`, so a student can see that the optimizer holds the model's own
 * objects. Values live in `data`; the optimizer updates them in place, never replacing the object.
 */
export class Tensor {
  readonly id = nextTensorId++
  data: Storage
  readonly shape: readonly number[]
  requiresGrad: boolean
  /** Accumulated gradient (leaf tensors only), `null` until the first `backward()`. */
  grad: Tensor | null = null
  /** The autograd node that produced this tensor; `null` for leaves. */
  gradFn: GradFn | null = null

  constructor(data: Storage, shape: readonly number[], options: TensorOptions = {}) {
    if (numelOf(shape) !== data.length) {
      throw new Error(`shape [${shape.join(', ')}] is invalid for input of size ${data.length}`)
    }
    this.data = data
    this.shape = [...shape]
    this.requiresGrad = options.requiresGrad ?? false
  }

  static zeros(shape: readonly number[], dtype: DType = 'float32', options?: TensorOptions): Tensor {
    return new Tensor(allocate(dtype, numelOf(shape)), shape, options)
  }

  static full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
    const t = Tensor.zeros(shape, dtype)
    t.data.fill(value)
    return t
  }

  static fromArray(values: ArrayLike<number>, shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const data = allocate(dtype, values.length)
    data.set(values)
    return new Tensor(data, shape)
  }

  static scalar(value: number, dtype: DType = 'float32'): Tensor {
    return Tensor.fromArray([value], [], dtype)
  }

  get dtype(): DType {
    return dtypeOf(this.data)
  }

  get numel(): number {
    return this.data.length
  }

  get ndim(): number {
    return this.shape.length
  }

  /** A tensor is a leaf when no recorded operation produced it (PyTorch's `is_leaf`). */
  get isLeaf(): boolean {
    return this.gradFn === null
  }

  /** The single value of a one-element tensor, as a JS number (Python float). */
  item(): number {
    if (this.numel !== 1) {
      throw new Error(`a Tensor with ${this.numel} elements cannot be converted to Scalar`)
    }
    return this.data[0]
  }

  /** A new leaf with copied values and no history. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape)
  }

  /** A new tensor sharing this one's storage, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape)
  }

  /** PyTorch's `.double()` / `.float()`: a copy in the other precision (or this tensor if equal). */
  to(dtype: DType): Tensor {
    if (dtype === this.dtype) return this
    const out = Tensor.zeros(this.shape, dtype)
    out.data.set(this.data)
    return out
  }

  requiresGrad_(flag = true): this {
    if (!this.isLeaf && !flag) {
      throw new Error("you can only change requires_grad flags of leaf variables.")
    }
    this.requiresGrad = flag
    return this
  }

  /** Accumulates d(this)/d(leaf) into every leaf's `.grad`. */
  backward(gradient?: Tensor): void {
    runBackward(this, gradient)
  }

  /** Nested arrays, row-major (like `tolist()`). */
  tolist(): unknown {
    const build = (offset: number, dim: number): unknown => {
      if (dim === this.shape.length) return this.data[offset]
      const stride = numelOf(this.shape.slice(dim + 1))
      return Array.from({ length: this.shape[dim] }, (_, i) => build(offset + i * stride, dim + 1))
    }
    return build(0, 0)
  }

  toString(): string {
    return `tensor(shape=[${this.shape.join(', ')}], dtype=${this.dtype}${this.gradFn ? `, grad_fn=<${this.gradFn.name}>` : ''})`
  }
}

/** An `nn.Parameter`: a leaf tensor that requires grad and that modules register by name. */
export class Parameter extends Tensor {
  constructor(data: Storage, shape: readonly number[], requiresGrad = true) {
    super(data, shape, { requiresGrad })
  }
}
