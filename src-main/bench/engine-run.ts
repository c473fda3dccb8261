/**
 * One benchmark child of `npm run bench` (scripts/bench.mjs): trains the lesson's network with our
 * engine and prints one JSON line with the training-loop times. scripts/bench.mjs bundles this file
 * with esbuild (as electron-vite bundles the engine for the app), so the times are those of bundled
 * code, not of a TypeScript loader. Argument: a JSON object (see `EngineRequest`).
 */
import { selectKernels, type KernelChoice } from '../engine/kernels/select'
import type { WasmKernels } from '../engine/kernels/wasm-kernels'
import { spawnNodeKernelThread } from '../host/node-kernel-thread'
import { TrainingSession } from '../engine/train/session'
import { LESSON_CONFIG, type LabConfig } from '../shared/config'

export interface EngineRequest {
  backend: KernelChoice
  relaxedSimd: boolean
  /** 2: a helper thread takes part of the big products and updates (WebAssembly only). */
  threads?: 1 | 2
  n: number
  dIn: number
  hidden: number[]
  dOut: number
  steps: number
  /** Timed runs, after one untimed warm-up run. */
  runs: number
  warmupSteps: number
}

export interface EngineResult {
  kernels: string
  variant: string | null
  runs_ms: number[]
  cpu_ms: number[]
  loss0: number
  last_loss: number
  peak_rss_kb: number
  heap_used_mb: number
  wasm_memory_mb: number | null
  /** Optimizer updates done by the backend's hook (0: the TypeScript loop ran them). */
  kernel_updates: number
  fused_madd: boolean | null
  threads: number
  /** Jobs the helper thread ran (0 on one thread). */
  helper_jobs: number
}

export function benchEngine(request: EngineRequest): EngineResult {
  const backend = selectKernels(request.backend, {
    relaxedSimd: request.relaxedSimd,
    ...(request.threads === 2 ? { threads: spawnNodeKernelThread } : {})
  })
  if (backend.name === 'wasm') (backend as WasmKernels).waitForHelper(2000)
  const config: LabConfig = {
    ...LESSON_CONFIG,
    n: request.n,
    dIn: request.dIn,
    hidden: request.hidden,
    dOut: request.dOut,
    hyper: { ...LESSON_CONFIG.hyper },
    steps: request.steps
  }
  const runsMs: number[] = []
  const cpuMs: number[] = []
  let loss0 = NaN
  let lastLoss = NaN
  for (let run = -1; run < request.runs; run++) {
    // Data and initial weights (manual_seed, randn, Linear init) are made before the clock starts.
    const session = new TrainingSession(config)
    const steps = run < 0 ? request.warmupSteps : request.steps
    const wall0 = performance.now()
    const cpu0 = process.cpuUsage()
    for (let t = 0; t < steps; t++) {
      const loss = session.step()
      if (t === 0) loss0 = loss
      lastLoss = loss
    }
    const cpu = process.cpuUsage(cpu0)
    const wall = performance.now() - wall0
    if (run >= 0) {
      runsMs.push(wall)
      cpuMs.push((cpu.user + cpu.system) / 1000)
    }
  }
  const wasm = backend.name === 'wasm' ? (backend as WasmKernels) : null
  return {
    kernels: backend.name,
    variant: wasm ? wasm.variant : null,
    runs_ms: runsMs,
    cpu_ms: cpuMs,
    loss0,
    last_loss: lastLoss,
    peak_rss_kb: process.resourceUsage().maxRSS,
    heap_used_mb: process.memoryUsage().heapUsed / 2 ** 20,
    wasm_memory_mb: wasm ? wasm.memoryBytes() / 2 ** 20 : null,
    kernel_updates: wasm ? wasm.updates : 0,
    fused_madd: wasm ? wasm.fusedMadd : null,
    threads: wasm ? wasm.threads : 1,
    helper_jobs: wasm ? wasm.helperJobs() : 0
  }
}

const argument = process.argv[2]
if (argument?.startsWith('{')) {
  process.stdout.write(JSON.stringify(benchEngine(JSON.parse(argument) as EngineRequest)) + '\n')
}
