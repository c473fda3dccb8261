import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaticServer } from '../../scripts/serve-web.mjs'

let base: string
let server: Server
let port: number

/** A raw GET: the path goes out exactly as written (no client-side normalisation). */
function get(path: string, method = 'GET'): Promise<{ status: number; type: string | undefined; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'optim-lab-web-'))
  const root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Optim Lab</title>')
  const files: Record<string, string> = {
    'a.js': 'x',
    'a.mjs': 'x',
    'a.css': 'x',
    'a.json': '{}',
    'a.wasm': 'x',
    'a.svg': '<svg/>',
    'a.png': 'x',
    'a.bin': 'x'
  }
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, 'assets', name), content)
  writeFileSync(join(base, 'secret.txt'), 'TOP SECRET')
  server = createStaticServer(root)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(base, { recursive: true, force: true })
})

describe('serve-web static server', () => {
  it('serves index.html for / with cross-origin isolation headers', async () => {
    const res = await get('/')
    expect(res.status).toBe(200)
    expect(res.type).toBe('text/html; charset=utf-8')
    expect(res.body).toContain('Optim Lab')
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin')
    expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
  })

  it.each([
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.wasm', 'application/wasm'],
    ['a.svg', 'image/svg+xml'],
    ['a.png', 'image/png'],
    ['a.bin', 'application/octet-stream']
  ])('serves %s as %s', async (name, type) => {
    const res = await get(`/assets/${name}`)
    expect(res.status).toBe(200)
    expect(res.type).toBe(type)
  })

  it.each(['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/assets/'])(
    'never serves outside the root: %s',
    async (path) => {
      const res = await get(path)
      expect(res.status).toBe(404)
      expect(res.body).not.toContain('TOP SECRET')
    }
  )

  it('answers 404 for missing files and 405 for other methods', async () => {
    expect((await get('/nope.js')).status).toBe(404)
    expect((await get('/index.html', 'POST')).status).toBe(405)
    const head = await get('/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })

  it('as a command: PORT=0 picks a free port and prints the URL', async () => {
    const child = spawn(process.execPath, ['scripts/serve-web.mjs'], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, PORT: '0' }
    })
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = ''
        let err = ''
        child.stdout.on('data', (chunk) => {
          out += chunk
          if (out.includes('\n')) resolve(out)
        })
        child.stderr.on('data', (chunk) => (err += chunk))
        child.on('exit', (code) => reject(new Error(`serve-web exited ${code}: ${err}`)))
      })
      const url = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(line)
      expect(url, line).not.toBeNull()
      port = Number(url![1])
      const res = await get('/')
      expect(res.status).toBe(200)
      expect(res.type).toBe('text/html; charset=utf-8')
    } finally {
      child.kill()
    }
  })
})
