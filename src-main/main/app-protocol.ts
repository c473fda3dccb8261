/**
 * The renderer is served from the privileged custom scheme `app://bundle/`, never `file://`
 * (Electron security checklist #18). This module holds the Electron-free part: mapping a request
 * URL to a file inside the bundle (refusing anything outside it) and building the response.
 */
import { readFile as fsReadFile } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import contentTypes from '../shared/content-types.json'

export const APP_SCHEME = 'app'
export const APP_HOST = 'bundle'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

/**
 * `standard` gives the scheme real origins and relative URL resolution, `secure` makes it a secure
 * context (needed for cross-origin isolation and workers), `supportFetchAPI` lets the page fetch
 * its own assets (WebAssembly), `codeCache` speeds up reloads. No `bypassCSP`.
 */
export const APP_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const

/**
 * Sent with every bundle response, on top of the CSP meta in index.html (both apply). COOP/COEP
 * make the page cross-origin isolated, which SharedArrayBuffer (a threaded backend) needs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff'
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = contentTypes

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file inside `root` that `requestUrl` names, or null when the URL is not ours or would leave
 * the bundle (`..`, encoded `%2e%2e%2f`, backslashes, absolute paths, NUL bytes).
 */
export function resolveBundlePath(root: string, requestUrl: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  if (pathname === '' || pathname.endsWith('/')) pathname += 'index.html'
  const bundleRoot = resolve(root)
  const file = resolve(bundleRoot, '.' + pathname)
  const inside = relative(bundleRoot, file)
  if (inside === '' || inside === '..' || inside.startsWith('..' + sep) || isAbsolute(inside)) return null
  return file
}

export type ReadFile = (path: string) => Promise<Uint8Array>

/** The `protocol.handle` handler for the bundle at `root`: GET/HEAD of files inside it, nothing else. */
export function createBundleHandler(root: string, readFile: ReadFile = fsReadFile): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: { ...SECURITY_HEADERS, Allow: 'GET, HEAD' } })
    }
    const file = resolveBundlePath(root, request.url)
    if (file === null) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS })
    let body: Uint8Array
    try {
      body = await readFile(file)
    } catch {
      return new Response('Not found', { status: 404, headers: SECURITY_HEADERS })
    }
    const headers = { ...SECURITY_HEADERS, 'Content-Type': contentTypeOf(file) }
    return new Response(request.method === 'HEAD' ? null : (body as BodyInit), { status: 200, headers })
  }
}
