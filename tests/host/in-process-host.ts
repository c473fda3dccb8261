/**
 * Engine hosts served in this process over a real structured-clone transport (a node:worker_threads
 * MessageChannel, transfers honoured as the Web Worker's are), each driven by an EngineClient.
 * Every host and port opened in a test is closed after it.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterEach } from 'vitest'
import { serve, type ServeOptions } from '../../src-main/host/serve'
import type { EngineEvent } from '../../src-main/shared/protocol'
import { EngineClient } from './engine-client'

export interface InProcessHost {
  client: EngineClient
  server: { dispose(): void }
}

/** Call at a test file's top level (it registers the clean-up); `connect()` serves a fresh host. */
export function inProcessHosts(): { connect(options?: ServeOptions): EngineClient; host(options?: ServeOptions): InProcessHost } {
  const ports: MessagePort[] = []
  const servers: { dispose(): void }[] = []
  afterEach(() => {
    for (const server of servers.splice(0)) server.dispose()
    for (const port of ports.splice(0)) port.close()
  })
  const host = (options?: ServeOptions): InProcessHost => {
    const { port1, port2 } = new MessageChannel()
    ports.push(port1, port2)
    const server = serve(
      {
        // The host must not touch a buffer after sending it, as with the Web Worker.
        postMessage: (message, transfer) => port1.postMessage(message, transfer ?? []),
        onMessage: (handler) => void port1.on('message', handler)
      },
      options
    )
    servers.push(server)
    const client = new EngineClient((message) => port2.postMessage(message))
    port2.on('message', (event: EngineEvent) => client.receive(event))
    return { client, server }
  }
  return { connect: (options) => host(options).client, host }
}
