import { describe, expect, it } from 'vitest'
import config from '../../electron.vite.config'

type AnyPlugin = { name?: string; transformIndexHtml?: { handler: (html: string) => string } }
const layout = config as unknown as {
  main: { build: { rolldownOptions: { input: Record<string, string> } } }
  preload: { build: { rolldownOptions: { input: Record<string, string>; output: { format: string; entryFileNames: string } } } }
  renderer: { root: string; base: string; worker: { format: string }; plugins: unknown[] }
}

function cspGuard(): (html: string) => string {
  const plugin = (layout.renderer.plugins.flat(3) as AnyPlugin[]).find((p) => p?.name === 'optim-lab:require-strict-csp')
  return plugin!.transformIndexHtml!.handler
}

const meta = (policy: string): string => `<head><meta http-equiv="Content-Security-Policy" content="${policy}" /></head>`

describe('electron.vite.config.ts', () => {
  it('builds main and the engine host as two entries, the preload as CommonJS, the renderer relocatable', () => {
    expect(Object.keys(layout.main.build.rolldownOptions.input).sort()).toEqual(['host', 'index'])
    expect(layout.main.build.rolldownOptions.input.host).toMatch(/src-main[/\\]host[/\\]utility-entry\.ts$/)
    expect(layout.main.build.rolldownOptions.input.index).toMatch(/src-main[/\\]main[/\\]index\.ts$/)
    expect(layout.preload.build.rolldownOptions.output).toEqual({ format: 'cjs', entryFileNames: '[name].cjs' })
    expect(layout.renderer.root).toMatch(/src-renderer$/)
    expect(layout.renderer.base).toBe('./')
    expect(layout.renderer.worker.format).toBe('es')
  })

  it('accepts a strict CSP (WebAssembly allowed) and fails the build on a loose or missing one', () => {
    const guard = cspGuard()
    const strict = meta("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'")
    expect(guard(strict)).toBe(strict)
    expect(() => guard(meta("default-src 'self'; style-src 'self' 'unsafe-inline'"))).toThrow(/'unsafe-inline'/)
    expect(() => guard(meta("script-src 'self' 'unsafe-eval'"))).toThrow(/'unsafe-eval'/)
    expect(() => guard(meta("img-src 'self'"))).toThrow(/restrict scripts/)
    expect(() => guard('<head><title>x</title></head>')).toThrow(/needs a <meta/)
  })
})
