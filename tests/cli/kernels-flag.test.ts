import { afterAll, describe, expect, it } from 'vitest'
import { autoThreads, runLab, stepMultiplyAdds } from '../../src-main/cli/lab'
import { LESSON_CONFIG } from '../../src-main/shared/config'
import { parseLabArgs, UsageError } from '../../src-main/cli/args'
import { selectKernels } from '../../src-main/engine/kernels/select'

function labJson(argv: string[]): Record<string, unknown> {
  let stdout = ''
  expect(runLab([...argv, '--json'], (text) => (stdout += text))).toBe(0)
  return JSON.parse(stdout) as Record<string, unknown>
}

afterAll(() => {
  selectKernels('typescript')
})

describe('lab --kernels', () => {
  it('defaults to auto', () => {
    expect(parseLabArgs([]).kernels).toBe('auto')
  })

  it('rejects other backends, naming the flag and the choices', () => {
    expect(() => parseLabArgs(['--kernels', 'gpu'])).toThrow(UsageError)
    expect(() => parseLabArgs(['--kernels', 'gpu'])).toThrow("--kernels: expected one of typescript, wasm, auto, got 'gpu'")
  })

  it('reports the backend it trained with; both give PyTorch’s loss[0]', () => {
    const ts = labJson(['--steps', '2', '--kernels', 'typescript'])
    const wasm = labJson(['--steps', '2', '--kernels', 'wasm'])
    const auto = labJson(['--steps', '2'])
    expect(ts.kernels).toBe('typescript')
    expect(wasm.kernels).toBe('wasm')
    expect(auto.kernels).toBe('wasm') // Node has WebAssembly SIMD
    expect((ts.losses as number[])[0]).toBe(628.283935546875)
    expect((wasm.losses as number[])[0]).toBe(628.283935546875)
  })
})

describe('lab hooks', () => {
  it('names the kernels to beforeTraining once, before any loss is written', () => {
    for (const kernels of ['typescript', 'wasm']) {
      let stdout = ''
      const seen: [string, string][] = []
      const status = runLab(['--steps', '2', '--kernels', kernels], (text) => (stdout += text), () => {}, {
        beforeTraining: (name) => seen.push([name, stdout])
      })
      expect(status).toBe(0)
      expect(seen).toEqual([[kernels, '']])
      expect(stdout.split('\n')[0]).toBe('0 628.283935546875')
    }
  })
})

describe('lab --threads', () => {
  it('defaults to auto and takes 1 or 2', () => {
    expect(parseLabArgs([]).threads).toBe('auto')
    expect(parseLabArgs(['--threads', '1']).threads).toBe(1)
    expect(parseLabArgs(['--threads', '2']).threads).toBe(2)
    expect(() => parseLabArgs(['--threads', '3'])).toThrow("--threads: expected one of auto, 1, 2, got '3'")
  })

  it('reports how many threads trained; two give the same losses as one, bit for bit', () => {
    const one = labJson(['--steps', '20', '--kernels', 'wasm', '--threads', '1'])
    const two = labJson(['--steps', '20', '--kernels', 'wasm', '--threads', '2'])
    expect(one.threads).toBe(1)
    expect(two.threads).toBe(2) // the helper started before the clock (Node has worker threads)
    expect(two.losses).toEqual(one.losses)
    // The TypeScript reference has no threads.
    expect(labJson(['--steps', '1', '--kernels', 'typescript', '--threads', '2']).threads).toBe(1)
  })

  it('auto: a helper with 4 cores or more, on 2–3 cores only for runs long or big enough to pay for it', () => {
    const lesson = { ...LESSON_CONFIG }
    // Forward x·W1ᵀ, then dW1 and dh for each layer: 3 × 64 × (1000 × 100 + 100 × 10).
    expect(stepMultiplyAdds(lesson)).toBe(3 * 64 * 101_000)
    expect(autoThreads(lesson, 8)).toBe(2)
    expect(autoThreads(lesson, 4)).toBe(2)
    // The lesson's 500 steps are slower with a helper on 2 cores while the engine is cold; 3 000 are faster.
    expect(autoThreads(lesson, 2)).toBe(1)
    expect(autoThreads({ ...lesson, steps: 3000 }, 2)).toBe(2)
    expect(autoThreads({ ...lesson, steps: 3000 }, 3)).toBe(2)
    // The bigger net of the bench does 8 × the lesson's work a step: its 500 steps pay.
    expect(autoThreads({ ...lesson, n: 256, dIn: 784, hidden: [256] }, 2)).toBe(2)
    expect(autoThreads({ ...lesson, steps: 1_000_000 }, 1)).toBe(1)
  })
})
