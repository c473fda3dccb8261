/** Web mode's engine process: the same host the utility process runs, speaking over `self`. */
import { serve, type PortLike } from '../../../src-main/host/serve'

interface WorkerScope {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

const scope = self as unknown as WorkerScope

const port: PortLike = {
  postMessage: (message) => scope.postMessage(message),
  onMessage: (handler) => scope.addEventListener('message', (event) => handler(event.data))
}

serve(port)
