/**
 * The Electron security checklist items that live in main, as plain functions over the few
 * Electron objects they touch (passed in, so tests run them under Node with fakes):
 * #13 limit navigation, #14 limit new windows, #15 openExternal only for https, #5 deny
 * permissions, #17 validate IPC senders, and no <webview>.
 */
import { APP_HOST, APP_SCHEME } from './app-protocol'

export type UrlPredicate = (url: string) => boolean

/**
 * Trusted page locations: the bundle on `app://bundle/`, and in development only the dev server's
 * origin (electron-vite's ELECTRON_RENDERER_URL, used when the app is not packaged).
 */
export function trustedUrlPredicate(devServerUrl?: string): UrlPredicate {
  let devOrigin: string | null = null
  if (devServerUrl) {
    try {
      const parsed = new URL(devServerUrl)
      if (parsed.protocol === 'http:' && (parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1')) {
        devOrigin = parsed.origin
      }
    } catch {
      devOrigin = null
    }
  }
  return (url) => {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return false
    }
    // WHATWG URL gives non-special schemes an opaque origin ("null"), so compare scheme and host.
    if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password) {
      return true
    }
    return devOrigin !== null && parsed.origin === devOrigin
  }
}

/** The slice of Electron's WebFrameMain that sender validation reads. */
export interface FrameLike {
  readonly url: string
  readonly parent: unknown
}

/** IPC is accepted only from the top frame of a trusted page (#17). */
export function isTrustedSender(frame: FrameLike | null | undefined, isTrustedUrl: UrlPredicate): boolean {
  if (!frame) return false
  if (frame.parent !== null && frame.parent !== undefined) return false
  return isTrustedUrl(frame.url)
}

/** The slice of Electron's WebContents that hardening uses. */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void; url: string }) => void): unknown
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void
}

/**
 * Navigation stays on trusted pages; new windows are always denied (https links open in the
 * user's browser instead); <webview> is never attached.
 */
export function hardenWebContents(
  contents: WebContentsLike,
  isTrustedUrl: UrlPredicate,
  openExternal: (url: string) => void
): void {
  const guardNavigation = (event: { preventDefault(): void; url: string }): void => {
    if (!isTrustedUrl(event.url)) event.preventDefault()
  }
  contents.on('will-navigate', guardNavigation)
  contents.on('will-redirect', guardNavigation)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url)
    return { action: 'deny' }
  })
}

/** Only plain https links may leave the app, and only to the system browser (#15). */
export function isExternalLink(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && !parsed.username && !parsed.password
  } catch {
    return false
  }
}

/** The slice of Electron's Session that permission handling uses. */
export interface SessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void
}

/** The lab needs no camera, notifications, geolocation, ...: every request and check is denied (#5). */
export function denyAllPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
