/**
 * How web mode notices that its engine worker is gone. A terminated worker (it closed itself, or
 * the browser ended it) raises no `error` event, and Chromium has no MessagePort `close` event; but
 * a Web Lock is released when the context holding it ends. So the worker takes a lock named for
 * this page's link and holds it for its lifetime, says so, and the page then queues for the same
 * lock: the page is granted it exactly when the worker has died.
 */
export const LIFELINE_MESSAGE = 'optim-lab:lifeline'
export const LIFELINE_HELD = 'optim-lab:lifeline-held'

interface LockManagerLike {
  request(name: string, callback: () => Promise<unknown> | unknown): Promise<unknown>
}

function lockManager(): LockManagerLike | null {
  return (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks ?? null
}

/** Worker side: hold `name` until this worker ends; `held()` once it is held. */
export function holdLifeline(name: string, held: () => void): void {
  const locks = lockManager()
  if (!locks) return
  void locks.request(name, () => {
    held()
    return new Promise(() => undefined) // never resolves: released only when the worker ends
  })
}

/** Page side: `gone()` when the holder of `name` ends; the returned function stops waiting. */
export function watchLifeline(name: string, gone: () => void): () => void {
  const locks = lockManager()
  if (!locks) return () => undefined
  let watching = true
  void locks.request(name, () => {
    if (watching) gone()
  })
  return () => {
    watching = false
  }
}

export function supportsLifeline(): boolean {
  return lockManager() !== null
}
