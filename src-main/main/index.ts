/**
 * The main process: one window, the engine's utility process, and nothing else. Training never
 * runs here; main serves the bundle, brokers the engine port, supervises, and saves files.
 * Electron's security checklist items are marked (#n) where they are applied.
 */
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  MessageChannelMain,
  protocol,
  session,
  shell,
  utilityProcess,
  type MessagePortMain
} from 'electron'
import { IPC, type EngineLifecycleEvent } from '../shared/protocol'
import { APP_INDEX_URL, APP_PRIVILEGES, APP_SCHEME, createBundleHandler } from './app-protocol'
import { EngineSupervisor } from './engine-supervisor'
import { registerIpcHandlers } from './ipc'
import { openWithDialog } from './open-file'
import { saveWithDialog } from './save-file'
import { SettingsStore } from './settings-store'
import { denyAllPermissions, hardenWebContents, trustedUrlPredicate } from './security'

const mainDir = fileURLToPath(new URL('.', import.meta.url))
const paths = {
  preload: join(mainDir, '../preload/index.cjs'),
  engineHost: join(mainDir, 'host.js'),
  renderer: join(mainDir, '../renderer')
}

// The dev server URL is honoured only when running unpackaged (electron-vite dev).
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const isTrustedUrl = trustedUrlPredicate(devServerUrl)

// #18: the bundle is served from app://bundle/, never file://. Must be registered before `ready`.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_PRIVILEGES } }])
// #4: every renderer is sandboxed, whatever a window's options say.
app.enableSandbox()

const ENGINE_SERVICE_NAME = 'Optim Lab engine'

let mainWindow: BrowserWindow | null = null
let supervisor: EngineSupervisor<MessagePortMain> | null = null

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Optim Lab',
    webPreferences: {
      preload: paths.preload,
      sandbox: true, // #4
      contextIsolation: true, // #3
      nodeIntegration: false, // #2
      nodeIntegrationInWorker: false,
      webSecurity: true, // #6
      allowRunningInsecureContent: false, // #8
      experimentalFeatures: false, // #9
      webviewTag: false, // #12
      disableBlinkFeatures: 'Auxclick', // #10 (and no enableBlinkFeatures)
      spellcheck: false
    }
  })
  mainWindow = window
  const contents = window.webContents

  const engine = new EngineSupervisor<MessagePortMain>({
    fork: () =>
      utilityProcess.fork(paths.engineHost, [], {
        serviceName: ENGINE_SERVICE_NAME,
        stdio: 'inherit'
      }),
    createChannel: () => new MessageChannelMain(),
    sendPortToRenderer: (port) => {
      if (!contents.isDestroyed()) contents.postMessage(IPC.enginePort, null, [port])
    },
    sendLifecycle: (event: EngineLifecycleEvent) => {
      if (!contents.isDestroyed()) contents.send(IPC.engineLifecycle, event)
    },
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    log: (message) => console.warn(`[engine] ${message}`)
  })
  supervisor = engine
  engine.start()

  window.once('ready-to-show', () => window.show())
  // Window closed: the engine process goes with it.
  window.on('closed', () => {
    engine.dispose()
    if (supervisor === engine) supervisor = null
    if (mainWindow === window) mainWindow = null
  })

  void window.loadURL(devServerUrl ?? APP_INDEX_URL)
}

app.on('web-contents-created', (_event, contents) => {
  // #13, #14, #15: no navigation away from our pages, no new windows, https links go to the browser.
  hardenWebContents(contents, isTrustedUrl, (url) => void shell.openExternal(url))
})

app.whenReady().then(() => {
  denyAllPermissions(session.defaultSession) // #5
  protocol.handle(APP_SCHEME, createBundleHandler(paths.renderer))

  const settings = new SettingsStore(app.getPath('userData'))
  registerIpcHandlers(ipcMain, {
    isTrustedUrl,
    isOwnWebContents: (sender) => mainWindow !== null && sender === mainWindow.webContents,
    connectEngine: () => supervisor?.connect(),
    saveWeights: (suggestedName, contents) =>
      saveWithDialog(
        (options) => (mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options)),
        app.getPath('documents'),
        suggestedName,
        contents
      ),
    openWeights: () =>
      openWithDialog((options) => (mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options))),
    loadSettings: () => settings.load(),
    saveSettings: (value) => settings.save(value),
    log: (message) => console.warn(`[ipc] ${message}`)
  })

  createWindow()

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

// Electron says why a child process went (`oom`, `killed`, `crashed`): the crash report names it.
app.on('child-process-gone', (_event, details) => {
  if (details.type === 'Utility' && details.serviceName === ENGINE_SERVICE_NAME) supervisor?.noteGone(details.reason)
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
