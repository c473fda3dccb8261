import type { SpawnKernelThread } from './kernel-threads'
import { useKernels, type Kernels } from './kernels'
import { typescriptKernels } from './typescript-kernels'
import { wasmKernels, wasmUnavailableReason } from './wasm-kernels'

export const KERNEL_CHOICES = ['typescript', 'wasm', 'auto'] as const
export type KernelChoice = (typeof KERNEL_CHOICES)[number]

export interface KernelOptions {
  /** Use the relaxed-SIMD build (fused multiply-add) where the runtime supports it; default true. */
  relaxedSimd?: boolean
  /**
   * Starts a helper thread for the WebAssembly kernels (the host's kind of worker); big products and
   * updates are then split over two threads. Omitted: one thread.
   */
  threads?: SpawnKernelThread
}

/** The backend `choice` names, without activating it; throws if 'wasm' cannot run here. */
export function resolveKernels(choice: KernelChoice, options: KernelOptions = {}): Kernels {
  if (choice === 'typescript') return typescriptKernels
  const wasm = wasmKernels(options)
  if (wasm) return wasm
  if (choice === 'wasm') throw new Error(`the WebAssembly kernels cannot run here: ${wasmUnavailableReason()}`)
  return typescriptKernels
}

/**
 * Activates a backend for every later operation: 'typescript' (the reference), 'wasm'
 * (WebAssembly SIMD; throws where unavailable) or 'auto' (wasm when available, else typescript).
 * Returns the backend now active. The engine starts on the TypeScript reference; entry points
 * (CLI, utility process, Web Worker) choose.
 */
export function selectKernels(choice: KernelChoice = 'auto', options: KernelOptions = {}): Kernels {
  const next = resolveKernels(choice, options)
  useKernels(next)
  return next
}
