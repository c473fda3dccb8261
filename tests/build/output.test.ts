/**
 * What `npm run build` produced (run it first; this fails, not skips, without it): the four entry
 * files, a CommonJS preload that needs nothing but `electron`, an engine host free of `electron`,
 * and a renderer whose CSP allows no inline or eval'd code.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const out = join(import.meta.dirname, '../../out')
function read(path: string): string {
  const file = join(out, path)
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the unit tests (npm test does both).`)
  return readFileSync(file, 'utf8')
}

describe('build output', () => {
  it('has the main process, the engine host, the preload and the renderer', () => {
    for (const path of ['main/index.js', 'main/host.js', 'preload/index.cjs', 'renderer/index.html']) {
      expect(read(path).length, path).toBeGreaterThan(0)
    }
  })

  it('preload is one CommonJS file that requires only electron (sandboxed preloads cannot load modules)', () => {
    const preload = read('preload/index.cjs')
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron'])
    expect(preload).not.toMatch(/^\s*(import|export)\s/m)
    expect(preload).toContain('exposeInMainWorld("optimLab"')
  })

  it('engine host does not import electron (it runs under plain Node too)', () => {
    const host = read('main/host.js')
    expect(host).not.toMatch(/from\s+["']electron["']|require\(["']electron["']\)/)
  })

  it('renderer: strict CSP, relative asset URLs', () => {
    const html = read('renderer/index.html')
    const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1]
    expect(policy).toBeDefined()
    expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'/)
    expect(policy).toMatch(/script-src 'self'( 'wasm-unsafe-eval')?;/)
    expect(html).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/)
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/) // no inline scripts
  })
})
