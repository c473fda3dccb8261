import { describe, expect, it } from 'vitest'
import { releaseGraph } from '../../../src-main/engine/autograd/graph'
import { add, mul } from '../../../src-main/engine/ops/elementwise'
import { sum } from '../../../src-main/engine/ops/reduction'
import { allocate, recycle, type Storage } from '../../../src-main/engine/tensor/dtype'
import { Tensor } from '../../../src-main/engine/tensor/tensor'

// Storages the backward pass and releaseGraph hand back are reused by the next allocations: they
// must be exactly the ones nobody can see any more, never a leaf's values or gradient.

const N = 300

function leaf(value: number): Tensor {
  const t = Tensor.fromArray(Array.from({ length: N }, () => value), [N], 'float64')
  t.requiresGrad = true
  return t
}

/** Takes every spare of N float64 elements (fresh ones once none is left) and scribbles on them. */
function drainAndScribble(): Storage[] {
  const taken = Array.from({ length: 12 }, () => allocate('float64', N, false))
  for (const s of taken) s.fill(-777)
  return taken
}

describe('reusing storages after backward', () => {
  it('hands back the gradients backward consumed, and leaf gradients stay right when they are reused', () => {
    drainAndScribble().forEach(recycle)
    drainAndScribble() // nothing of N elements spare now
    const x = leaf(1)
    const a = mul(x, 2)
    const b = mul(a, 3)
    sum(b).backward()
    // b's incoming gradient (ones) was consumed and handed back, and a's backward reused it for x's
    // gradient; a's (threes) was consumed last: the next allocation gets it, values and all (fresh
    // memory would be zeros).
    const next = [allocate('float64', N, false), allocate('float64', N, false)]
    expect(next.map((s) => s[0])).toEqual([3, 0])
    expect(next).not.toContain(x.grad!.data)
    next.forEach((s) => s.fill(-777))
    expect(Array.from(x.grad!.data).every((v) => v === 6)).toBe(true)
  })

  it('keeps a gradient that backward handed on to its inputs (add passes it to both)', () => {
    drainAndScribble()
    const x = leaf(1)
    const y = leaf(2)
    const a = mul(x, 1)
    const b = mul(y, 1)
    sum(add(a, b)).backward()
    drainAndScribble()
    expect(Array.from(x.grad!.data).every((v) => v === 1)).toBe(true)
    expect(Array.from(y.grad!.data).every((v) => v === 1)).toBe(true)
  })

  it("releaseGraph hands back the graph's activations, never a leaf's values, its gradient, or storage shared with a leaf", () => {
    drainAndScribble()
    const x = leaf(1)
    const a = mul(x, 2)
    const b = mul(a, 3)
    const root = sum(b)
    root.backward()
    drainAndScribble()
    // A non-leaf sharing a leaf's storage (an op that returns its input's array) must not free it.
    const sharing = new Tensor(x.data, [N])
    sharing.gradFn = { name: 'ViewBackward0', inputs: [x], backward: (g) => [g] }
    const shared = add(sharing, 0)
    shared.gradFn = { name: 'AddBackward0', inputs: [sharing, b], backward: (g) => [g, g] }
    const activations = new Set([a.data, b.data])
    releaseGraph(shared)
    const reused = drainAndScribble()
    expect(reused.filter((s) => activations.has(s)).length).toBe(2)
    expect(reused.some((s) => s === x.data || s === x.grad!.data)).toBe(false)
    expect(Array.from(x.data).every((v) => v === 1)).toBe(true)
    expect(Array.from(x.grad!.data).every((v) => v === 6)).toBe(true)
  })
})
