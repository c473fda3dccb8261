import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { electronStub } from './electron-mock'

vi.mock('electron', () => electronStub())

const { denyAllPermissions, hardenWebContents, isExternalLink, isTrustedSender, trustedUrlPredicate } = await import(
  '../../src-main/main/security'
)

describe('trusted page locations', () => {
  it('trusts only app://bundle/ in production', () => {
    const trusted = trustedUrlPredicate(undefined)
    expect(trusted('app://bundle/index.html')).toBe(true)
    expect(trusted('app://bundle/')).toBe(true)
    for (const url of [
      'app://evil/index.html',
      'app://user:pw@bundle/index.html',
      'http://localhost:5173/',
      'https://example.com/',
      'file:///work/main/out/renderer/index.html',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      ''
    ]) {
      expect(trusted(url), url).toBe(false)
    }
  })

  it('adds the dev server origin only when given, and only for a local http server', () => {
    const trusted = trustedUrlPredicate('http://localhost:5173')
    expect(trusted('http://localhost:5173/index.html')).toBe(true)
    expect(trusted('http://localhost:5174/')).toBe(false)
    expect(trusted('app://bundle/index.html')).toBe(true)
    expect(trustedUrlPredicate('https://evil.example:5173')('https://evil.example:5173/')).toBe(false)
  })
})

describe('isTrustedSender', () => {
  const trusted = trustedUrlPredicate(undefined)
  it('accepts the top frame of our page only', () => {
    expect(isTrustedSender({ url: 'app://bundle/index.html', parent: null }, trusted)).toBe(true)
    expect(isTrustedSender({ url: 'app://bundle/index.html', parent: { url: 'app://bundle/' } }, trusted)).toBe(false)
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, trusted)).toBe(false)
    expect(isTrustedSender(null, trusted)).toBe(false)
    expect(isTrustedSender(undefined, trusted)).toBe(false)
  })
})

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void {
    this.openHandler = handler
  }
  /** Emits like Electron: returns whether a listener called preventDefault(). */
  attempt(event: string, url = ''): boolean {
    let prevented = false
    this.emit(event, { url, preventDefault: () => (prevented = true) })
    return prevented
  }
}

describe('hardenWebContents', () => {
  it('blocks navigation away from our pages, every new window, and <webview>', () => {
    const contents = new FakeContents()
    const openExternal = vi.fn()
    hardenWebContents(contents, trustedUrlPredicate(undefined), openExternal)

    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true)
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(contents.attempt('will-redirect', 'https://evil.example/')).toBe(true)
    expect(contents.attempt('will-navigate', 'app://bundle/index.html')).toBe(false)
    expect(contents.attempt('will-attach-webview')).toBe(true)

    expect(contents.openHandler!({ url: 'https://pytorch.org/docs/' })).toEqual({ action: 'deny' })
    expect(openExternal).toHaveBeenCalledWith('https://pytorch.org/docs/')
    for (const url of ['http://insecure.example/', 'file:///etc/passwd', 'app://bundle/index.html', 'smb://share/x']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' })
    }
    expect(openExternal).toHaveBeenCalledTimes(1)
  })

  it('lets only plain https links leave the app', () => {
    expect(isExternalLink('https://pytorch.org/')).toBe(true)
    expect(isExternalLink('https://user:pw@pytorch.org/')).toBe(false)
    expect(isExternalLink('http://pytorch.org/')).toBe(false)
    expect(isExternalLink('nonsense')).toBe(false)
  })
})

describe('denyAllPermissions', () => {
  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null
    let check: ((c: unknown, p: string) => boolean) | null = null
    denyAllPermissions({
      setPermissionRequestHandler: (handler) => void (request = handler),
      setPermissionCheckHandler: (handler) => void (check = handler)
    })
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn()
      request!(null, permission, callback)
      expect(callback).toHaveBeenCalledWith(false)
      expect(check!(null, permission)).toBe(false)
    }
  })
})
