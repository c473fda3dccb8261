/**
 * Entry of the engine process (built to out/main/host.js). It only picks the transport and hands
 * it to `serve`:
 * - Electron utility process (`process.parentPort` exists): main sends `{ type: 'connect' }` with a
 *   MessagePortMain in `ports`; the renderer holds the other end. A later port (renderer reloaded,
 *   or asked again) replaces the current connection and ends its runs.
 * - Plain Node child (`child_process.fork`, used by tests): Node IPC via `process.on('message')` and
 *   `process.send`; fork with `serialization: 'advanced'` to get structured clone like Electron.
 *
 * Imports no `electron` (only its types): the utility process receives `parentPort` on `process`.
 */
import type { EngineEvent } from '../shared/protocol'
import { serve, type PortLike } from './serve'
import { availableParallelism } from 'node:os'
import { selectKernels } from '../engine/kernels/select'
import { spawnNodeKernelThread } from './node-kernel-thread'
import { warmUpUntilCommanded } from './warm-up'

/** The slice of Electron's MessagePortMain used here. */
interface MainPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
  on(event: 'close', listener: () => void): unknown
  postMessage(message: unknown): void
  start(): void
  close(): void
}

/** The slice of Electron's `process.parentPort` used here. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports: MainPort[] }) => void): unknown
}

interface Connection {
  port: MainPort
  dispose(): void
}

/** Shown each incoming message once the warm-up has started (none when this process serves nobody). */
let noteCommand: (message: unknown) => void = () => undefined

function serveElectron(parentPort: ParentPort): void {
  let current: Connection | null = null

  const connect = (port: MainPort): void => {
    current?.dispose()
    const handlers: ((message: unknown) => void)[] = []
    const portLike: PortLike = {
      postMessage: (message: EngineEvent) => port.postMessage(message),
      onMessage: (handler) => void handlers.push(handler)
    }
    const server = serve(portLike)
    const connection: Connection = {
      port,
      dispose() {
        server.dispose()
        port.close()
        if (current === connection) current = null
      }
    }
    port.on('message', (event) => {
      noteCommand(event.data)
      for (const handler of handlers) handler(event.data)
    })
    // The renderer's end went away (window closed or reloaded): stop training for nobody.
    port.on('close', () => connection.dispose())
    port.start()
    current = connection
  }

  parentPort.on('message', (event) => {
    const data = event.data as { type?: unknown } | null
    const [port] = event.ports ?? []
    if (data && data.type === 'connect' && port) connect(port)
  })
}

function serveNodeIpc(): void {
  const send = process.send?.bind(process)
  if (!send) return
  const handlers: ((message: unknown) => void)[] = []
  const server = serve({
    postMessage: (message) => void send(message),
    onMessage: (handler) => void handlers.push(handler)
  })
  process.on('message', (message) => {
    noteCommand(message)
    for (const handler of handlers) handler(message)
  })
  // The parent is gone: nothing left to answer.
  process.on('disconnect', () => {
    server.dispose()
    process.exit(0)
  })
}

// WebAssembly SIMD kernels where the runtime has them (same numbers as the TypeScript reference).
// A helper thread for the big products only with 4 cores or more: on 2 cores it would take the core
// the renderer needs to stay smooth while training (the `lab` command, alone on the machine, uses 2).
selectKernels('auto', availableParallelism() >= 4 ? { threads: spawnNodeKernelThread } : {})

const parentPort = (process as unknown as { parentPort?: ParentPort | null }).parentPort
if (parentPort) {
  serveElectron(parentPort)
} else if (process.send) {
  serveNodeIpc()
} else {
  process.stderr.write(
    'optim-lab engine host: start me as an Electron utility process or with child_process.fork (IPC).\n'
  )
  process.exitCode = 2
}
// Compile the engine on the lesson while the window opens (as web mode's worker does): up to three
// passes, each its own macrotask, none once the student has started something.
if (parentPort || process.send) noteCommand = warmUpUntilCommanded(3)
