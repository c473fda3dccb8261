import { describe, expect, it } from 'vitest'
import { allocate, copyOf, recycle } from '../../../src-main/engine/tensor/dtype'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { LESSON_CONFIG } from '../../../src-main/shared/config'

describe('allocate / recycle', () => {
  it('carves small storages from shared slabs: zero-filled, aligned, never overlapping', () => {
    const storages = Array.from({ length: 200 }, (_, i) => allocate(i % 2 ? 'float64' : 'float32', 1 + ((i * 37) % 900)))
    // Far fewer ArrayBuffers than storages: that is the point (each costs the GC a sweep).
    expect(new Set(storages.map((s) => s.buffer)).size).toBeLessThan(10)
    for (const s of storages) {
      expect(s.every((v) => v === 0)).toBe(true)
      expect(s.byteOffset % 16).toBe(0)
    }
    storages.forEach((s, i) => s.fill(i + 1))
    storages.forEach((s, i) => expect(s.every((v) => v === i + 1)).toBe(true))
    // Big ones keep a buffer of their own (they are recycled, and copied in and out of wasm whole).
    const big = allocate('float32', 20_000)
    expect(big.byteLength).toBe(big.buffer.byteLength)
  })

  it('copies into a fresh storage', () => {
    const source = allocate('float64', 10).map((_, i) => i / 3)
    const copy = copyOf(source)
    expect(copy).toBeInstanceOf(Float64Array)
    expect(Array.from(copy)).toEqual(Array.from(source))
    copy[0] = 42
    expect(source[0]).toBe(0)
  })


  it('hands a recycled storage back once, filled with zeros', () => {
    const storage = allocate('float32', 20_000)
    storage.fill(7)
    recycle(storage)
    recycle(storage) // twice: must still be handed out only once
    const again = allocate('float32', 20_000)
    expect(again).toBe(storage)
    expect(again.every((v) => v === 0)).toBe(true)
    expect(allocate('float32', 20_000)).not.toBe(storage)
  })

  it('keeps only storages it handed out whole, of 256 elements or more, by dtype and length', () => {
    const tiny = allocate('float32', 100)
    recycle(tiny)
    expect(allocate('float32', 100)).not.toBe(tiny)
    // Carved from a slab, but handed out whole: kept (its memory is already the process's own).
    const carved = allocate('float32', 6400)
    expect(carved.byteLength).toBeLessThan(carved.buffer.byteLength)
    recycle(carved)
    expect(allocate('float32', 6400)).toBe(carved)
    // A view on part of another storage would hand its neighbours' memory out again.
    const whole = allocate('float32', 40_000)
    const view = whole.subarray(0, 20_000)
    recycle(view)
    expect(allocate('float32', 20_000)).not.toBe(view)
    const foreign = new Float32Array(20_000)
    recycle(foreign)
    expect(allocate('float32', 20_000)).not.toBe(foreign)
    const double = allocate('float64', 20_000)
    recycle(double)
    expect(allocate('float32', 20_000)).not.toBe(double)
    expect(allocate('float64', 20_001)).not.toBe(double)
    expect(allocate('float64', 20_000)).toBe(double)
  })

  // Through autograd: the session's static step (train/static-step.ts) keeps its storages instead.
  it("reuses the lesson's dropped dW1 for the next step's", () => {
    const config = { ...LESSON_CONFIG, hyper: { ...LESSON_CONFIG.hyper }, steps: 6 }
    const session = new TrainingSession(config, { recordGraph: true })
    const w1 = session.model.parameters()[0]
    const losses: number[] = []
    const grads = new Set<Float32Array | Float64Array>()
    for (let t = 0; t < config.steps; t++) {
      losses.push(session.step())
      grads.add(w1.grad!.data)
    }
    expect(grads.size).toBeLessThan(config.steps) // zero_grad(set_to_none) dropped it, backward got it back
    // The numbers themselves: the parity suites train the lesson this way against real PyTorch.
    expect(losses.every(Number.isFinite)).toBe(true)
  })

  it("reuses each step's activations and consumed gradients, so later steps allocate no fresh memory for them", () => {
    const config = { ...LESSON_CONFIG, hyper: { ...LESSON_CONFIG.hyper }, steps: 3 }
    const session = new TrainingSession(config, { recordGraph: true })
    session.step()
    // A fresh 64 × 100 storage is all zeros; one the step handed back still holds an activation.
    const handedBack = Array.from({ length: 4 }, () => allocate('float32', 64 * 100, false))
    expect(handedBack.every((s) => s.some((v) => v !== 0))).toBe(true)
    handedBack.forEach(recycle)
    const losses = [session.step(), session.step()]
    expect(losses.every(Number.isFinite)).toBe(true)
  })
})
