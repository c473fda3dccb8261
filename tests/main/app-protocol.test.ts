import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { electronStub } from './electron-mock'

vi.mock('electron', () => electronStub())

const { createBundleHandler, resolveBundlePath, CONTENT_SECURITY_POLICY } = await import('../../src-main/main/app-protocol')

describe('resolveBundlePath: the path-traversal guard of app://bundle/', () => {
  const root = '/srv/app/out/renderer'

  it('maps bundle URLs to files inside the root', () => {
    expect(resolveBundlePath(root, 'app://bundle/')).toBe('/srv/app/out/renderer/index.html')
    expect(resolveBundlePath(root, 'app://bundle/index.html')).toBe('/srv/app/out/renderer/index.html')
    expect(resolveBundlePath(root, 'app://bundle/assets/index-abc.js?v=1#x')).toBe('/srv/app/out/renderer/assets/index-abc.js')
    expect(resolveBundlePath(root, 'app://bundle/assets/a%20b.png')).toBe('/srv/app/out/renderer/assets/a b.png')
  })

  it.each(['app://bundle/../../etc/passwd', 'app://bundle/%2e%2e/%2e%2e/etc/passwd', 'app://bundle/a/../../../x'])(
    'keeps %s inside the bundle (the URL parser folds the dots)',
    (url) => {
      const file = resolveBundlePath(root, url)
      expect(file === null || file.startsWith(root + '/')).toBe(true)
    }
  )

  it.each([
    'app://bundle/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://bundle/%2e%2e%5c%2e%2e%5csecret',
    'app://bundle/..\\..\\secret',
    'app://bundle/index.html%00.png',
    'app://bundle/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'https://bundle/index.html',
    'not a url'
  ])('refuses %s', (url) => {
    expect(resolveBundlePath(root, url)).toBeNull()
  })
})

describe('createBundleHandler', () => {
  let base: string
  let root: string
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'optim-lab-bundle-'))
    root = join(base, 'renderer')
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Optim Lab</title>')
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(root, 'assets', 'kernels.wasm'), new Uint8Array([0, 97, 115, 109]))
    writeFileSync(join(base, 'secret.txt'), 'do not serve')
  })
  afterAll(() => rmSync(base, { recursive: true, force: true }))

  it('serves bundle files with their MIME type and the security headers', async () => {
    const handler = createBundleHandler(root)
    const page = await handler(new Request('app://bundle/'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-inline'|'unsafe-eval'/)
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
    expect(await page.text()).toContain('Optim Lab')
    expect((await handler(new Request('app://bundle/assets/app.js'))).headers.get('content-type')).toMatch(/^text\/javascript/)
    expect((await handler(new Request('app://bundle/assets/kernels.wasm'))).headers.get('content-type')).toBe('application/wasm')
  })

  it('never serves a file outside the bundle, and only GET/HEAD', async () => {
    const handler = createBundleHandler(root)
    for (const url of ['app://bundle/..%2fsecret.txt', 'app://bundle/%2e%2e/secret.txt', 'app://bundle/missing.js']) {
      const response = await handler(new Request(url))
      expect(response.status).toBe(404)
      expect(await response.text()).not.toContain('do not serve')
    }
    expect((await handler(new Request('app://bundle/index.html', { method: 'POST', body: 'x' }))).status).toBe(405)
    const head = await handler(new Request('app://bundle/index.html', { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })
})
