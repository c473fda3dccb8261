import { describe, expect, it } from 'vitest'
import { allocate, recycle } from '../../../src-main/engine/tensor/dtype'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { LESSON_CONFIG } from '../../../src-main/shared/config'

describe('allocate / recycle', () => {
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

  it('keeps only big storages of their own buffer, by dtype and length', () => {
    const small = allocate('float32', 100)
    recycle(small)
    expect(allocate('float32', 100)).not.toBe(small)
    const view = new Float32Array(new ArrayBuffer(4 * 40_000), 0, 20_000)
    recycle(view)
    expect(allocate('float32', 20_000)).not.toBe(view)
    const double = allocate('float64', 20_000)
    recycle(double)
    expect(allocate('float32', 20_000)).not.toBe(double)
    expect(allocate('float64', 20_001)).not.toBe(double)
    expect(allocate('float64', 20_000)).toBe(double)
  })

  it("reuses the lesson's dropped dW1 for the next step's", () => {
    const config = { ...LESSON_CONFIG, hyper: { ...LESSON_CONFIG.hyper }, steps: 6 }
    const session = new TrainingSession(config)
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
})
