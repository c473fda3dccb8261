/**
 * Runs a callback as a new macrotask, so that messages waiting on the port (pause, stop, inspect)
 * are handled between two training slices. The same choice React's scheduler makes:
 * - Node (the Electron utility process, the fork test): `setImmediate` runs right after pending I/O,
 *   with no timer delay.
 * - Browsers and Web Workers: a `MessageChannel` message; nested `setTimeout(0)` is clamped to
 *   4 ms there, which would waste a quarter of every 12 ms slice.
 * - Anything else: `setTimeout(0)`.
 */
export interface Yielder {
  /** Schedule `callback`; a previous schedule that has not run yet is replaced. */
  schedule(callback: () => void): void
  cancel(): void
  /** Release the channel, if one was opened. */
  dispose(): void
}

type SetImmediate = (callback: () => void) => unknown
type ClearImmediate = (handle: unknown) => void

interface ChannelPort {
  onmessage: ((event: unknown) => void) | null
  postMessage(message: unknown): void
  close(): void
}

export function createYielder(): Yielder {
  const g = globalThis as unknown as {
    setImmediate?: SetImmediate
    clearImmediate?: ClearImmediate
    MessageChannel?: new () => { port1: ChannelPort; port2: ChannelPort }
  }
  let pending: (() => void) | null = null
  const run = (): void => {
    const callback = pending
    pending = null
    callback?.()
  }

  if (typeof g.setImmediate === 'function' && typeof g.clearImmediate === 'function') {
    const setImmediateFn = g.setImmediate
    const clearImmediateFn = g.clearImmediate
    let handle: unknown = null
    const cancel = (): void => {
      if (handle !== null) clearImmediateFn(handle)
      handle = null
      pending = null
    }
    return {
      schedule(callback) {
        pending = callback
        if (handle === null) {
          handle = setImmediateFn(() => {
            handle = null
            run()
          })
        }
      },
      cancel,
      dispose: cancel
    }
  }

  if (typeof g.MessageChannel === 'function') {
    let channel: { port1: ChannelPort; port2: ChannelPort } | null = null
    let posted = false
    return {
      schedule(callback) {
        pending = callback
        if (!channel) {
          channel = new g.MessageChannel!()
          channel.port1.onmessage = () => {
            posted = false
            run()
          }
        }
        if (!posted) {
          posted = true
          channel.port2.postMessage(null)
        }
      },
      cancel() {
        pending = null
      },
      dispose() {
        pending = null
        if (channel) {
          channel.port1.onmessage = null
          channel.port1.close()
          channel.port2.close()
          channel = null
        }
      }
    }
  }

  let timer: ReturnType<typeof setTimeout> | null = null
  const cancel = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    pending = null
  }
  return {
    schedule(callback) {
      pending = callback
      if (timer === null) {
        timer = setTimeout(() => {
          timer = null
          run()
        }, 0)
      }
    },
    cancel,
    dispose: cancel
  }
}
