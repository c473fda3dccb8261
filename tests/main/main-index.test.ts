/**
 * src-main/main/index.ts wired against a mocked `electron`: the window's security settings, the
 * app:// protocol, the permission handlers, IPC registration and the engine's lifecycle.
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => {
  Reflect.deleteProperty(process.env, 'ELECTRON_RENDERER_URL')
  // Built inside the hoisted block: vi.mock factories run before ordinary imports.
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events')
  const calls = {
    privileged: [] as unknown[],
    handled: [] as { scheme: string; handler: (request: Request) => Promise<Response> }[],
    windows: [] as any[],
    forks: [] as { path: string; child: any }[],
    ipcOn: new Map<string, unknown>(),
    ipcHandle: new Map<string, unknown>(),
    permissionRequest: null as null | ((...args: any[]) => void),
    permissionCheck: null as null | ((...args: any[]) => boolean),
    sandboxEnabled: false,
    webContentsCreated: null as null | ((event: unknown, contents: unknown) => void)
  }
  let readyResolve: () => void = () => {}
  const ready = new Promise<void>((resolve) => (readyResolve = resolve))

  class FakeWebContents extends Emitter {
    sent: unknown[][] = []
    posted: unknown[][] = []
    openHandler: unknown = null
    isDestroyed = () => false
    send = (...args: unknown[]) => void this.sent.push(args)
    postMessage = (...args: unknown[]) => void this.posted.push(args)
    setWindowOpenHandler = (handler: unknown) => void (this.openHandler = handler)
  }
  class BrowserWindow extends Emitter {
    static getAllWindows = () => calls.windows
    webContents = new FakeWebContents()
    loadedUrl: string | null = null
    constructor(readonly options: any) {
      super()
      calls.windows.push(this)
      calls.webContentsCreated?.({}, this.webContents)
    }
    loadURL(url: string) {
      this.loadedUrl = url
      return Promise.resolve()
    }
    show() {}
  }
  class FakeUtility extends Emitter {
    messages: unknown[][] = []
    killed = false
    postMessage = (...args: unknown[]) => void this.messages.push(args)
    kill = () => {
      this.killed = true
      return true
    }
  }
  let portCount = 0
  class MessageChannelMain {
    port1 = { name: `port1-${++portCount}` }
    port2 = { name: `port2-${portCount}` }
  }
  const module = {
    app: {
      isPackaged: false,
      enableSandbox: () => void (calls.sandboxEnabled = true),
      whenReady: () => ready,
      on: (event: string, listener: (...args: any[]) => void) => {
        if (event === 'web-contents-created') calls.webContentsCreated = listener
      },
      getPath: (name: string) => (name === 'userData' ? '/home/student/.config/Optim Lab' : '/home/student/Documents'),
      quit: () => {}
    },
    BrowserWindow,
    MessageChannelMain,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => void calls.privileged.push(schemes),
      handle: (scheme: string, handler: any) => void calls.handled.push({ scheme, handler })
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: any) => void (calls.permissionRequest = handler),
        setPermissionCheckHandler: (handler: any) => void (calls.permissionCheck = handler)
      }
    },
    ipcMain: {
      on: (channel: string, listener: unknown) => void calls.ipcOn.set(channel, listener),
      handle: (channel: string, listener: unknown) => void calls.ipcHandle.set(channel, listener)
    },
    utilityProcess: {
      fork: (path: string) => {
        const child = new FakeUtility()
        calls.forks.push({ path, child })
        return child
      }
    },
    dialog: { showSaveDialog: async () => ({ canceled: true }) },
    shell: { openExternal: async () => {} }
  }
  return { module, calls, ready: () => readyResolve() }
})

vi.mock('electron', () => ({ ...electron.module, default: electron.module }))

const { IPC } = await import('../../src-main/shared/protocol')
await import('../../src-main/main/index')
const { calls } = electron

async function startApp() {
  electron.ready()
  await new Promise((resolve) => setTimeout(resolve, 0))
}

describe('main process (electron mocked)', () => {
  it('registers app:// as a privileged scheme before ready, without bypassing CSP, and sandboxes every renderer', () => {
    expect(calls.privileged).toEqual([
      [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]
    ])
    expect(calls.sandboxEnabled).toBe(true)
    expect(calls.windows).toHaveLength(0)
  })

  it('on ready: denies permissions, serves the bundle, registers IPC, opens one hardened window', async () => {
    await startApp()
    expect(calls.permissionCheck!(null, 'media')).toBe(false)
    const callback = vi.fn()
    calls.permissionRequest!(null, 'geolocation', callback)
    expect(callback).toHaveBeenCalledWith(false)

    expect(calls.handled.map((h) => h.scheme)).toEqual(['app'])
    expect((await calls.handled[0].handler(new Request('app://bundle/../../../etc/passwd'))).status).toBe(404)

    expect([...calls.ipcOn.keys()]).toEqual([IPC.connectEngine])
    expect([...calls.ipcHandle.keys()]).toEqual([IPC.saveWeights, IPC.openWeights, IPC.loadSettings, IPC.saveSettings])

    expect(calls.windows).toHaveLength(1)
    const [window] = calls.windows
    expect(window.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick'
    })
    expect(window.options.webPreferences.preload).toMatch(/[/\\]preload[/\\]index\.cjs$/)
    expect(window.options.webPreferences).not.toHaveProperty('enableBlinkFeatures')
    expect(window.loadedUrl).toBe('app://bundle/index.html')

    // Hardening was applied through web-contents-created.
    let prevented = false
    window.webContents.emit('will-navigate', { url: 'https://evil.example/', preventDefault: () => (prevented = true) })
    expect(prevented).toBe(true)
    expect(window.webContents.openHandler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
  })

  it('starts the engine utility process and brokers a port when the page asks', () => {
    expect(calls.forks).toHaveLength(1)
    expect(calls.forks[0].path).toMatch(/[/\\]host\.js$/)
    const [window] = calls.windows
    const connect = calls.ipcOn.get(IPC.connectEngine) as (event: unknown) => void
    connect({ sender: window.webContents, senderFrame: { url: 'app://bundle/index.html', parent: null } })
    const child = calls.forks[0].child
    expect(child.messages).toHaveLength(1)
    expect(child.messages[0][0]).toEqual({ type: 'connect' })
    expect(window.webContents.posted).toHaveLength(1)
    expect(window.webContents.posted[0][0]).toBe(IPC.enginePort)
    expect(window.webContents.posted[0][2]).toHaveLength(1)
    expect(window.webContents.sent.at(-1)).toEqual([IPC.engineLifecycle, { type: 'engineReady' }])

    // A request from anywhere else gets nothing.
    connect({ sender: window.webContents, senderFrame: { url: 'https://evil.example/', parent: null } })
    expect(child.messages).toHaveLength(1)
  })

  it('reports an engine crash to the window, and kills the engine when the window closes', async () => {
    const [window] = calls.windows
    const child = calls.forks[0].child as EventEmitter & { killed: boolean }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    child.emit('exit', 9)
    expect(window.webContents.sent.at(-1)).toEqual([
      IPC.engineLifecycle,
      { type: 'engineCrashed', reason: expect.stringContaining('code 9'), restarting: true }
    ])
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(calls.forks).toHaveLength(2)
    const restarted = calls.forks[1].child
    expect(restarted.messages[0][0]).toEqual({ type: 'connect' })

    window.emit('closed')
    expect(restarted.killed).toBe(true)
    warn.mockRestore()
  })
})
