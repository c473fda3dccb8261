/** Web mode's engine process: the same host the utility process runs, speaking over `self`. */
import { serve, type PortLike } from '../../../src-main/host/serve'
import { selectKernels } from '../../../src-main/engine/kernels/select'
import { warmUpUntilCommanded } from '../../../src-main/host/warm-up'
import { LIFELINE_HELD, LIFELINE_MESSAGE, holdLifeline } from './lifeline'

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

const scope = self as unknown as WorkerScope
// Compile the engine's code while the student is still reading: once the queued messages (a
// command already sent waits at most one pass) have run, train the lesson briefly and discard it,
// three times unless the student has started something meanwhile.
const noteMessage = warmUpUntilCommanded(3)

const port: PortLike = {
  postMessage: (message, transfer) => scope.postMessage(message, transfer ?? []),
  onMessage: (handler) =>
    scope.addEventListener('message', (event) => {
      const data = event.data as { type?: unknown; name?: unknown } | null
      // The page's first message names a lock to hold for life (lifeline.ts); everything else is a command.
      if (data?.type === LIFELINE_MESSAGE && typeof data.name === 'string') holdLifeline(data.name, () => scope.postMessage(LIFELINE_HELD))
      else {
        noteMessage(event.data)
        handler(event.data)
      }
    })
}

// WebAssembly SIMD kernels where the browser runs them (same numbers as the TypeScript reference).
selectKernels('auto')
serve(port)
