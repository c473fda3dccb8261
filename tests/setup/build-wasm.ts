import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

/**
 * Vitest global setup: (re)builds the generated WebAssembly module the engine imports
 * (src-main/engine/kernels/generated/wasm-modules.ts) before any test file loads. `npm install`
 * already builds it; this catches edits to src-wasm/ since then, and costs nothing when up to date.
 */
export default function setup(): void {
  const script = join(import.meta.dirname, '..', '..', 'scripts', 'build-wasm.mjs')
  const result = spawnSync(process.execPath, [script, '--quiet'], { stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`${script} failed (exit ${result.status})`)
}
