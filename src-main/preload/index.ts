/**
 * The only bridge between the page and Electron: named functions on `window.optimLab`, never
 * `ipcRenderer` itself (Electron security checklist #20). Runs sandboxed with context isolation.
 *
 * The engine MessagePort cannot cross contextBridge, so it is handed to the page the way Electron's
 * MessagePort tutorial shows for context-isolated pages: the preload receives it over IPC and
 * re-posts it to its own window with `window.postMessage(ENGINE_PORT_MESSAGE, '*', [port])`.
 * The message goes to this very window only; navigation away from our pages is blocked in main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { ENGINE_PORT_MESSAGE, IPC, type DesktopApi, type EngineLifecycleEvent } from '../shared/protocol'
import type { LoadedSettings, Settings } from '../shared/settings'

// The page's listener exists once its scripts have run; the load event is the documented moment.
const pageLoaded = new Promise<void>((resolve) => {
  if (document.readyState === 'complete') resolve()
  else window.addEventListener('load', () => resolve(), { once: true })
})

ipcRenderer.on(IPC.enginePort, (event: IpcRendererEvent) => {
  const ports = event.ports
  if (ports.length !== 1) return
  void pageLoaded.then(() => window.postMessage(ENGINE_PORT_MESSAGE, '*', ports))
})

const api = {
  connectEngine(): void {
    ipcRenderer.send(IPC.connectEngine)
  },
  onEngineLifecycle(listener: (event: EngineLifecycleEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onEngineLifecycle needs a function')
    // The IPC event object is never passed to the page (it carries `sender`).
    const wrapped = (_event: IpcRendererEvent, lifecycle: EngineLifecycleEvent): void => listener(lifecycle)
    ipcRenderer.on(IPC.engineLifecycle, wrapped)
    return () => {
      ipcRenderer.removeListener(IPC.engineLifecycle, wrapped)
    }
  },
  saveWeights(suggestedName: string, contents: string): Promise<string | null> {
    if (typeof suggestedName !== 'string' || typeof contents !== 'string') {
      return Promise.reject(new TypeError('saveWeights needs (suggestedName: string, contents: string)'))
    }
    return ipcRenderer.invoke(IPC.saveWeights, suggestedName, contents) as Promise<string | null>
  },
  openWeights(): Promise<{ name: string; text: string } | null> {
    return ipcRenderer.invoke(IPC.openWeights) as Promise<{ name: string; text: string } | null>
  },
  loadSettings(): Promise<LoadedSettings> {
    return ipcRenderer.invoke(IPC.loadSettings) as Promise<LoadedSettings>
  },
  saveSettings(settings: Settings): Promise<void> {
    return ipcRenderer.invoke(IPC.saveSettings, settings) as Promise<void>
  },
  platform: process.platform
} satisfies DesktopApi

contextBridge.exposeInMainWorld('optimLab', api)
