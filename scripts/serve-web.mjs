#!/usr/bin/env node
/**
 * Serves the built renderer (out/renderer) over http on 127.0.0.1: Optim Lab's web mode, where a
 * Web Worker runs the same engine host the desktop app runs in its utility process.
 * Dependency-free on purpose. `npm run web` builds first; PORT (default 5173; 0 picks a free port)
 * HOST (default 127.0.0.1) and OUT_DIR (default out) are read from the environment.
 *
 * COOP/COEP headers make the page cross-origin isolated (SharedArrayBuffer for a threaded backend);
 * every asset is same-origin, so they cost nothing.
 */
import { createServer } from 'node:http'
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

// OUT_DIR (default `out`) lets several checkouts' builds be served side by side (e2e on one machine).
const root = resolve(fileURLToPath(new URL('..', import.meta.url)), process.env.OUT_DIR ?? 'out', 'renderer')

// The same table the desktop app's app:// scheme serves with (src-main/main/app-protocol.ts).
const CONTENT_TYPES = JSON.parse(readFileSync(new URL('../src-main/shared/content-types.json', import.meta.url), 'utf8'))

const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache'
}

/** The file under `root` a request path names, or null if it would leave `root`. */
export function resolveRequestPath(rootDir, rawUrl) {
  let pathname
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://localhost').pathname)
  } catch {
    return null
  }
  // The URL parser already folds "/../"; this also refuses encoded dots, backslashes and NUL bytes.
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  if (pathname.endsWith('/')) pathname += 'index.html'
  const file = resolve(rootDir, '.' + pathname)
  const inside = relative(rootDir, file)
  if (inside === '' || inside === '..' || inside.startsWith('..' + sep) || isAbsolute(inside)) return null
  return file
}

function send(response, status, text, extraHeaders = {}) {
  response.writeHead(status, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extraHeaders })
  response.end(text)
}

export function createStaticServer(rootDir = root) {
  return createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' })
    }
    let file = resolveRequestPath(rootDir, request.url ?? '/')
    if (file === null) return send(response, 404, 'Not found\n')
    try {
      let info = await stat(file)
      if (info.isDirectory()) {
        file = join(file, 'index.html')
        info = await stat(file)
      }
      if (!info.isFile()) return send(response, 404, 'Not found\n')
      response.writeHead(200, {
        ...HEADERS,
        'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': info.size
      })
      if (request.method === 'HEAD') return response.end()
      createReadStream(file)
        .on('error', () => response.destroy())
        .pipe(response)
    } catch {
      send(response, 404, 'Not found\n')
    }
  })
}

function main() {
  if (!existsSync(join(root, 'index.html'))) {
    console.error(`serve-web: ${join(root, 'index.html')} is missing. Build the app first: npm run build (or npm run web).`)
    process.exit(1)
  }
  const host = process.env.HOST || '127.0.0.1'
  const port = process.env.PORT === undefined || process.env.PORT === '' ? 5173 : Number(process.env.PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve-web: PORT must be an integer from 0 to 65535, got "${process.env.PORT}"`)
    process.exit(2)
  }
  const server = createStaticServer(root)
  server.on('error', (error) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `serve-web: port ${port} is in use; set another with PORT=<n> npm run web`
        : `serve-web: ${error.message}`
    )
    process.exit(1)
  })
  server.listen(port, host, () => {
    const address = server.address()
    const shownHost = host.includes(':') ? `[${host}]` : host
    console.log(`Optim Lab (web mode) is serving at http://${shownHost}:${address.port}/  (Ctrl+C to stop)`)
  })
  const close = () => server.close(() => process.exit(0))
  process.on('SIGINT', close)
  process.on('SIGTERM', close)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
