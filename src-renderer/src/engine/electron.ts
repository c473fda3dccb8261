/**
 * Electron: main brokers a MessagePort between this window and the engine's utility process and
 * supervises that process. A MessagePort cannot cross `contextBridge`, so the preload re-posts it
 * to the page (`window.postMessage(ENGINE_PORT_MESSAGE, '*', [port])`, Electron's MessagePort
 * tutorial); each new port replaces the previous one. After a crash main restarts the engine and
 * hands a new port unasked, so this link only listens.
 */
import { isEnginePortMessage, type DesktopApi, type EngineCommand } from '../../../src-main/shared/protocol'
import type { EngineLink, LinkSink } from './connection'

export class ElectronLink implements EngineLink {
  #port: MessagePort | null = null
  #cleanups: (() => void)[] = []

  constructor(private readonly api: DesktopApi) {}

  connect(sink: LinkSink): void {
    const onWindowMessage = (event: MessageEvent): void => {
      if (!isEnginePortMessage(event, window)) return
      if (this.#port) {
        // Each port has its own host state: runs behind the old one are gone for us.
        this.#port.close()
        sink.crashed('the engine connection was replaced', true)
      }
      const port = event.ports[0]
      this.#port = port
      port.onmessage = (message) => sink.message(message.data)
      sink.ready()
    }
    window.addEventListener('message', onWindowMessage)
    this.#cleanups.push(() => window.removeEventListener('message', onWindowMessage))
    this.#cleanups.push(
      this.api.onEngineLifecycle((event) => {
        if (event.type !== 'engineCrashed') return
        this.#port?.close()
        this.#port = null
        sink.crashed(event.reason, event.restarting)
      })
    )
    this.api.connectEngine()
  }

  send(command: EngineCommand): void {
    this.#port?.postMessage(command)
  }

  close(): void {
    this.#cleanups.splice(0).forEach((cleanup) => cleanup())
    this.#port?.close()
    this.#port = null
  }
}
