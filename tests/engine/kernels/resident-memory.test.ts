import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MIN_RESIDENT_LENGTH, ResidentMemory } from '../../../src-main/engine/kernels/resident-memory'
import { kernels, useKernels } from '../../../src-main/engine/kernels/kernels'
import { typescriptKernels } from '../../../src-main/engine/kernels/typescript-kernels'
import { wasmKernels } from '../../../src-main/engine/kernels/wasm-kernels'
import { allocate, allocateLasting, recycle } from '../../../src-main/engine/tensor/dtype'
import { TrainingSession } from '../../../src-main/engine/train/session'
import { LESSON_CONFIG } from '../../../src-main/shared/config'

const sharedMemory = (): WebAssembly.Memory => new WebAssembly.Memory({ initial: 1, maximum: 1024, shared: true })

afterEach(() => {
  useKernels(typescriptKernels)
})

describe('ResidentMemory (big lasting storages in the kernels’ shared linear memory)', () => {
  it('hands out zero-filled views on the memory, and keeps small storages out', () => {
    const heap = new ResidentMemory(sharedMemory())
    expect(heap.allocate('float32', MIN_RESIDENT_LENGTH - 1)).toBeNull()
    const a = heap.allocate('float32', MIN_RESIDENT_LENGTH)!
    const b = heap.allocate('float64', MIN_RESIDENT_LENGTH + 3)!
    expect(a).toBeInstanceOf(Float32Array)
    expect(b).toBeInstanceOf(Float64Array)
    expect(b.length).toBe(MIN_RESIDENT_LENGTH + 3)
    expect(heap.pointer(a)).toBe(a.byteOffset)
    expect(heap.pointer(b)).toBe(b.byteOffset)
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + a.byteLength)
    expect(b.byteOffset % 64).toBe(0)
    expect(heap.pointer(new Float32Array(MIN_RESIDENT_LENGTH))).toBe(-1)
    expect(a.every((x) => x === 0) && b.every((x) => x === 0)).toBe(true)
  })

  it('keeps views made before the memory grew valid, and knows them as its own', () => {
    const memory = sharedMemory()
    const heap = new ResidentMemory(memory)
    const first = heap.allocate('float32', MIN_RESIDENT_LENGTH)!
    first.fill(7)
    const pages = memory.buffer.byteLength / 65536
    // 8 × 256 KB: more than the memory's first 16 pages
    const later = Array.from({ length: 8 }, () => heap.allocate('float32', 1 << 16)!)
    expect(memory.buffer.byteLength / 65536).toBeGreaterThan(pages)
    expect(first.length).toBe(MIN_RESIDENT_LENGTH)
    expect(first.every((x) => x === 7)).toBe(true)
    expect(new Float32Array(memory.buffer, first.byteOffset, 4)[3]).toBe(7)
    expect(heap.pointer(first)).toBe(first.byteOffset)
    expect(later.every((v) => heap.pointer(v) === v.byteOffset)).toBe(true)
  })

  it('hands a released block to the next storage of its size, zero-filled again', () => {
    const heap = new ResidentMemory(sharedMemory())
    const a = heap.allocate('float32', MIN_RESIDENT_LENGTH)!
    a.fill(3)
    const live = heap.liveBytes
    expect(heap.release(a)).toBe(true)
    expect(heap.release(a)).toBe(false)
    expect(heap.release(new Float32Array(MIN_RESIDENT_LENGTH))).toBe(false)
    expect(heap.liveBytes).toBe(live - a.byteLength)
    const again = heap.allocate('float32', MIN_RESIDENT_LENGTH)!
    expect(again.byteOffset).toBe(a.byteOffset)
    expect(again.every((x) => x === 0)).toBe(true)
  })

  it('gives its scratch region a block of its own, moved to a bigger one when needed', () => {
    const heap = new ResidentMemory(sharedMemory())
    const at = heap.scratch(1000)
    expect(heap.scratch(500)).toBe(at)
    const storage = heap.allocate('float32', MIN_RESIDENT_LENGTH)!
    expect(storage.byteOffset).toBeGreaterThanOrEqual(at + 1000)
    const bigger = heap.scratch(1 << 20)
    expect(bigger).toBeGreaterThanOrEqual(storage.byteOffset + storage.byteLength)
    expect(heap.scratch(100)).toBe(bigger)
  })

  it('returns null when the memory cannot grow that far (the caller falls back to an ordinary array)', () => {
    const heap = new ResidentMemory(new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true }))
    expect(heap.allocate('float32', 1 << 20)).toBeNull()
    expect(heap.scratch(1 << 20)).toBe(-1)
  })
})

describe('lasting storages with the WebAssembly kernels active', () => {
  const wasm = wasmKernels()!

  it('live in the kernels’ memory; temporaries and the TypeScript backend use ordinary arrays', () => {
    useKernels(typescriptKernels)
    expect(allocateLasting('float32', MIN_RESIDENT_LENGTH).buffer).toBeInstanceOf(ArrayBuffer)
    useKernels(wasm)
    const heap = wasm.residentStorages!
    expect(heap).toBeDefined()
    const lasting = allocateLasting('float32', MIN_RESIDENT_LENGTH)
    expect(heap.pointer(lasting)).toBe(lasting.byteOffset)
    expect(heap.pointer(allocate('float32', MIN_RESIDENT_LENGTH))).toBe(-1)
    const live = heap.liveBytes
    recycle(lasting)
    expect(heap.liveBytes).toBe(live - lasting.byteLength)
  })

  it('hold the lesson’s weights, their gradients, Adam’s state and x, with the same losses as the reference', () => {
    const steps = 5
    useKernels(typescriptKernels)
    const reference = new TrainingSession({ ...LESSON_CONFIG, steps })
    const expected = Array.from({ length: steps }, () => reference.step())
    useKernels(wasm)
    const session = new TrainingSession({ ...LESSON_CONFIG, steps })
    const heap = wasm.residentStorages!
    const losses = Array.from({ length: steps }, () => session.step())
    const [w1] = session.model.parameters()
    expect(heap.pointer(w1.data)).toBe(w1.data.byteOffset)
    expect(heap.pointer(w1.grad!.data)).toBe(w1.grad!.data.byteOffset)
    const state = session.optimizer.state.get(w1)!
    expect(heap.pointer(state.exp_avg.data)).toBeGreaterThanOrEqual(0)
    expect(heap.pointer(state.exp_avg_sq.data)).toBeGreaterThanOrEqual(0)
    expect(heap.pointer(session.x.data)).toBeGreaterThanOrEqual(0)
    expect(kernels()).toBe(wasm)
    // SIMD128 (this project's Node has no relaxed SIMD): the reference's summation order, bit for bit.
    if (!wasm.fusedMadd) expect(losses).toEqual(expected)
    else losses.forEach((loss, i) => expect(Math.abs(loss - expected[i]) / expected[i]).toBeLessThan(1e-5))
  })

  it('come back to the heap when garbage-collected (child Node with --expose-gc)', () => {
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'resident-gc-child.ts')], {
      encoding: 'utf8',
      timeout: 60_000
    })
    expect(child.stderr).toBe('')
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { before: number; held: number; after: number; reused: boolean }
    expect(result.held).toBeGreaterThan(result.before)
    expect(result.after).toBe(result.before)
    expect(result.reused).toBe(true)
  })
})
