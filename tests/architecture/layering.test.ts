import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : []
  })
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2]
  )

// The engine runs in a utility process, a Web Worker, the CLI and tests alike (DESIGN §3).
describe('src-main/engine is pure TypeScript', () => {
  const files = sources(join(root, 'src-main', 'engine'))

  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(10)
  })

  it.each(files.map((f) => [relative(root, f), f]))('%s imports no electron, node: or renderer code', (_name, file) => {
    for (const spec of importsOf(file)) {
      expect(spec).not.toMatch(/^(electron|node:|fs$|path$|os$|child_process$|worker_threads$)/)
      expect(spec).not.toMatch(/src-renderer|\/main\/|\/preload\/|\/cli\//)
    }
  })

  it.each(files.map((f) => [relative(root, f), f]))('%s uses no DOM or Node globals', (_name, file) => {
    const code = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')
    expect(code).not.toMatch(/\b(window|document|process|require|Buffer|__dirname)\s*[.([]/)
  })
})
