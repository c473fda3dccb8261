import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// Node 20 ships relaxed SIMD behind a flag; Electron 45 (Chromium 140) and Chromium enable it. The
// relaxed build is checked in a child process started with the flag.
describe('relaxed-SIMD build (child Node with --experimental-wasm-relaxed-simd)', () => {
  it('loads, and computes fma32, float32 products (also skipping zero terms) and Adam bit for bit as their models (one thread and two, operands copied or resident)', () => {
    const child = spawnSync(
      process.execPath,
      ['--experimental-wasm-relaxed-simd', '--import', 'tsx', join(import.meta.dirname, 'relaxed-simd-child.ts')],
      { encoding: 'utf8', timeout: 120_000 }
    )
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number | string | boolean>
    expect(result.variant).toBe('relaxed-simd')
    expect(result.fmaEmulatedMismatches).toBe(0)
    // Where relaxed madd is not fused, `fused` falls back to the emulation: exact either way.
    expect(result.fmaFusedMismatches).toBe(0)
    // Products: the fused running sums where relaxed madd is fused here, else the reference's blocks.
    expect(result.products).toBe(48)
    expect(result.productMismatches).toBe(0)
    expect(result.threadedHelperReady).toBe(true)
    expect(result.helperJobs).toBeGreaterThan(0)
    expect(result.splitMismatches).toBe(0)
    // Products that skip their left operand's zero terms: the same running sums (fused builds).
    if (result.fusedMadd) {
      expect(result.sparseCases).toBe(4 * 2 * 5 * 2 * 2)
      expect(result.sparseMismatches).toBe(0)
      // Every case but the infinite and the NaN b skips zeros, on each backend.
      expect(result.sparseProducts).toBe(4 * 2 * 3 * 2 * 2)
    }
    // Big operands in linear memory (resident storages), used in place on one thread and two.
    expect(result.residentProducts).toBeGreaterThanOrEqual(2 * 3 * 4 * 2)
    expect(result.residentMismatches).toBe(0)
    expect(result.residentAdamMismatches).toBe(0)
    expect(result.residentAdamSplit).toBe(3)
    expect(result.adamMismatches).toBe(0)
  })
})
