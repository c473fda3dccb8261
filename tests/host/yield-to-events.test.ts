/**
 * The host's yield between training slices, in each of its three environments. What matters is
 * that a message arriving while the loop keeps re-scheduling itself is still handled promptly.
 */
import { MessageChannel } from 'node:worker_threads'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createYielder } from '../../src-main/host/yield-to-events'

afterEach(() => vi.unstubAllGlobals())

/** Re-schedules itself like the training loop until `done`; returns how many slices ran. */
function busyLoop(yielder: ReturnType<typeof createYielder>, isDone: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    let slices = 0
    const slice = (): void => {
      slices++
      if (isDone() || slices > 100_000) return resolve(slices)
      yielder.schedule(slice)
    }
    yielder.schedule(slice)
  })
}

async function handlesMessagesBetweenSlices(): Promise<void> {
  const yielder = createYielder()
  const { port1, port2 } = new MessageChannel()
  let received = false
  port1.on('message', () => (received = true))
  const looping = busyLoop(yielder, () => received)
  port2.postMessage('pause')
  const slices = await looping
  expect(received).toBe(true)
  expect(slices).toBeLessThan(1000)
  yielder.dispose()
  port1.close()
}

describe('createYielder', () => {
  it('Node (setImmediate): incoming messages are not starved by the loop', handlesMessagesBetweenSlices)

  it('browser / Web Worker (MessageChannel): incoming messages are not starved by the loop', async () => {
    vi.stubGlobal('setImmediate', undefined)
    vi.stubGlobal('clearImmediate', undefined)
    await handlesMessagesBetweenSlices()
  })

  it('elsewhere (setTimeout): incoming messages are not starved by the loop', async () => {
    vi.stubGlobal('setImmediate', undefined)
    vi.stubGlobal('clearImmediate', undefined)
    vi.stubGlobal('MessageChannel', undefined)
    await handlesMessagesBetweenSlices()
  })

  it.each([
    ['setImmediate', () => {}],
    [
      'MessageChannel',
      () => {
        vi.stubGlobal('setImmediate', undefined)
        vi.stubGlobal('clearImmediate', undefined)
      }
    ]
  ])('%s: cancel() drops the scheduled callback; a newer schedule replaces an older one', async (_name, setup) => {
    setup()
    const yielder = createYielder()
    const ran: string[] = []
    yielder.schedule(() => ran.push('cancelled'))
    yielder.cancel()
    yielder.schedule(() => ran.push('old'))
    yielder.schedule(() => ran.push('new'))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(ran).toEqual(['new'])
    yielder.dispose()
  })
})
