import { allocate, copyOf, recycle, type Storage } from '../tensor/dtype'
import { Tensor } from '../tensor/tensor'

/**
 * One recorded operation. `name` is PyTorch's (`AddmmBackward0`, `ReluBackward0`, ...), so
 * `loss.gradFn.name` reads like `loss.grad_fn` in a notebook. `inputs` are the operation's tensor
 * arguments; `backward` maps the gradient of the output to one gradient per input (null where the
 * input needs none).
 */
export interface GradFn {
  readonly name: string
  readonly inputs: readonly Tensor[]
  backward(gradOutput: Storage): (Storage | null)[]
}

let gradEnabled = true

export function isGradEnabled(): boolean {
  return gradEnabled
}

/** Runs `fn` with graph recording off, like `with torch.no_grad():`. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled
  gradEnabled = false
  try {
    return fn()
  } finally {
    gradEnabled = previous
  }
}

/** Whether an operation on these inputs must be recorded. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  return gradEnabled && inputs.some((t) => t.requiresGrad)
}

/** Attach `gradFn` to a freshly computed output when any input requires grad. */
export function record(output: Tensor, gradFn: GradFn): Tensor {
  if (needsGrad(gradFn.inputs)) {
    output.requiresGrad = true
    output.gradFn = gradFn
  }
  return output
}

function addInto(target: Storage, source: Storage): void {
  for (let i = 0; i < target.length; i++) target[i] = target[i] + source[i]
}

/** A fresh sum: gradient arrays may be shared between inputs, so they are never added into. */
function added(a: Storage, b: Storage): Storage {
  const out = copyOf(a)
  addInto(out, b)
  return out
}

/** Whether two storages share memory (a view returned for one input may alias the gradient). */
function overlaps(a: Storage, b: Storage): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength
}

/** Reverse-mode sweep from `root`, accumulating into every leaf's `.grad` (never overwriting). */
export function backward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) {
    throw new Error('element 0 of tensors does not require grad and does not have a grad_fn')
  }
  if (!gradient && root.numel !== 1) throw new Error('grad can be implicitly created only for scalar outputs')
  const seed = gradient ? copyOf(gradient.data) : allocate(root.dtype, root.numel).fill(1)

  if (!root.gradFn) {
    if (root.grad === null) root.grad = new Tensor(seed, root.shape)
    else addInto(root.grad.data, seed)
    return
  }

  // Topological order of the nodes reachable from the root (depth-first, post-order).
  const order: Tensor[] = []
  const visited = new Set<Tensor>()
  const visit = (t: Tensor): void => {
    visited.add(t)
    for (const input of t.gradFn!.inputs) {
      if (input.gradFn && !visited.has(input)) visit(input)
    }
    order.push(t)
  }
  visit(root)

  const pending = new Map<Tensor, Storage>([[root, seed]])
  // A backward function may hand the same array to several inputs (add's gradient passes through
  // to both); each array gets one owner, and a second owner gets a copy.
  const owned = new Set<Storage>([seed])
  const own = (g: Storage): Storage => {
    if (owned.has(g)) return copyOf(g)
    owned.add(g)
    return g
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]
    const gradOut = pending.get(node)
    pending.delete(node)
    if (!gradOut) continue
    const inputGrads = node.gradFn!.backward(gradOut)
    // The pass owns gradOut alone (see `own`); consumed, it is free unless handed on to an input,
    // and once handed back it may come back as a new array, owned by nobody yet.
    if (!inputGrads.some((g) => g && overlaps(g, gradOut))) {
      owned.delete(gradOut)
      recycle(gradOut)
    }
    node.gradFn!.inputs.forEach((input, k) => {
      const g = inputGrads[k]
      if (!g || !input.requiresGrad) return
      if (input.gradFn) {
        const existing = pending.get(input)
        pending.set(input, existing ? added(existing, g) : own(g))
      } else if (input.grad === null) {
        input.grad = new Tensor(own(g), input.shape)
      } else {
        addInto(input.grad.data, g)
      }
    })
  }
}

/**
 * Hands the storages of the non-leaf tensors of `root`'s graph back for reuse (`recycle`), for a
 * caller that has run backward and holds none of these tensors, nor lets anyone else hold them: the
 * training loop, whose activations would otherwise be left to the garbage collector, fresh memory
 * on every step. Storages shared with a leaf (a view of a parameter) or with a leaf's gradient are
 * kept.
 */
export function releaseGraph(root: Tensor): void {
  const keep = new Set<Storage>()
  const release = new Set<Storage>()
  const seen = new Set<Tensor>()
  const stack = [root]
  while (stack.length) {
    const t = stack.pop()!
    if (seen.has(t)) continue
    seen.add(t)
    if (!t.gradFn) {
      keep.add(t.data)
      if (t.grad) keep.add(t.grad.data)
      continue
    }
    release.add(t.data)
    stack.push(...t.gradFn.inputs)
  }
  for (const storage of release) if (!keep.has(storage)) recycle(storage)
}
