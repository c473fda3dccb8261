import { describe, expect, it } from 'vitest'
import { PortConnection, type EngineLink, type LinkSink } from '../../src-renderer/src/engine/connection'
import type { EngineCommand, EngineLifecycleEvent } from '../../src-main/shared/protocol'

/** A link whose engine the test plays by hand. */
class FakeLink implements EngineLink {
  sink!: LinkSink
  sent: EngineCommand[] = []
  closed = false
  connect(sink: LinkSink): void {
    this.sink = sink
  }
  send(command: EngineCommand): void {
    this.sent.push(command)
  }
  close(): void {
    this.closed = true
  }
  reply(command: EngineCommand, result: unknown): void {
    this.sink.message({ type: 'reply', id: command.id, ok: true, result })
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/** Progress carries Float64Arrays (their buffers transferred where the transport allows). */
const f = (...values: number[]): Float64Array => Float64Array.from(values)

describe('PortConnection', () => {
  it('queues requests until the engine is ready, then answers them by id', async () => {
    const link = new FakeLink()
    const connection = new PortConnection(link)
    const stopped = connection.request({ type: 'stopRun', runId: 'a' })
    const paused = connection.request({ type: 'pauseRun', runId: 'b' })
    expect(link.sent).toEqual([])

    link.sink.ready()
    const [stop, pause, ping] = link.sent
    expect(stop).toMatchObject({ type: 'stopRun', runId: 'a' })
    expect(pause).toMatchObject({ type: 'pauseRun', runId: 'b' })
    expect(ping.type).toBe('ping')
    expect(new Set([stop.id, pause.id, ping.id]).size).toBe(3)

    link.reply(pause, { step: 7 })
    link.reply(stop, { step: 3 })
    await expect(stopped).resolves.toEqual({ step: 3 })
    await expect(paused).resolves.toEqual({ step: 7 })
  })

  it('rejects with the engine error message', async () => {
    const link = new FakeLink()
    const connection = new PortConnection(link)
    link.sink.ready()
    const started = connection.request({ type: 'stepRun', runId: 'x' })
    const command = link.sent.at(-1)!
    link.sink.message({ type: 'reply', id: command.id, ok: false, error: { name: 'ValueError', message: 'Invalid learning rate: -1' } })
    await expect(started).rejects.toThrow('Invalid learning rate: -1')
  })

  it('announces ready only once the engine answers a ping', async () => {
    const link = new FakeLink()
    const connection = new PortConnection(link)
    const events: EngineLifecycleEvent[] = []
    connection.onLifecycle((event) => events.push(event))
    link.sink.ready()
    await tick()
    expect(events).toEqual([])
    link.reply(link.sent[0], { engine: 'optim-lab', kernels: 'typescript' })
    await tick()
    expect(events).toEqual([{ type: 'engineReady' }])
  })

  it('on a crash fails pending requests, reports it, and uses the restarted engine', async () => {
    const link = new FakeLink()
    const connection = new PortConnection(link)
    const events: EngineLifecycleEvent[] = []
    connection.onLifecycle((event) => events.push(event))
    link.sink.ready()
    const pending = connection.request({ type: 'inspectRun', runId: 'r' })
    link.sink.crashed('out of memory', true)
    await expect(pending).rejects.toThrow('The engine stopped: out of memory')
    expect(events).toEqual([{ type: 'engineCrashed', reason: 'out of memory', restarting: true }])

    // Between the crash and the new engine, requests wait; then they reach the new one.
    const sentBefore = link.sent.length
    const later = connection.request({ type: 'disposeRun', runId: 'r' })
    expect(link.sent.length).toBe(sentBefore)
    link.sink.ready()
    const resent = link.sent.find((command, i) => i >= sentBefore && command.type === 'disposeRun')!
    link.reply(resent, null)
    await expect(later).resolves.toBeNull()
  })

  it('routes progress and runState events to their listeners', () => {
    const link = new FakeLink()
    const connection = new PortConnection(link)
    const progress: unknown[] = []
    const states: unknown[] = []
    const off = connection.onProgress((event) => progress.push(event))
    connection.onRunState((event) => states.push(event))
    link.sink.message({ type: 'progress', runId: 'r', fromStep: 0, losses: f(3, 2) })
    link.sink.message({ type: 'runState', runId: 'r', status: 'finished', step: 2, totalSteps: 2, finalLoss: 1 })
    off()
    link.sink.message({ type: 'progress', runId: 'r', fromStep: 2, losses: f(1) })
    expect(progress).toEqual([{ type: 'progress', runId: 'r', fromStep: 0, losses: f(3, 2) }])
    expect(states).toHaveLength(1)
  })

  it('delivers progress at most once a frame: the first at once, a burst joined at the next frame', () => {
    const link = new FakeLink()
    const frames: (() => void)[] = []
    const connection = new PortConnection(link, { frame: (callback) => frames.push(callback) })
    const progress: unknown[] = []
    connection.onProgress((event) => progress.push(event))
    const lr = (values: number[]): Float64Array[] => [f(...values)]
    link.sink.message({ type: 'progress', runId: 'r', fromStep: 0, losses: f(5), lrs: lr([0.1]) })
    // The first point of a quiet page is not held back.
    expect(progress).toEqual([{ type: 'progress', runId: 'r', fromStep: 0, losses: f(5), lrs: [f(0.1)] }])
    link.sink.message({ type: 'progress', runId: 'r', fromStep: 1, losses: f(4, 3), lrs: lr([0.1, 0.05]) })
    link.sink.message({ type: 'progress', runId: 'q', fromStep: 0, losses: f(9) })
    link.sink.message({ type: 'progress', runId: 'r', fromStep: 3, losses: f(2), lrs: lr([0.02]) })
    expect(progress).toHaveLength(1)
    expect(frames).toHaveLength(1)
    frames.shift()!()
    expect(progress.slice(1)).toEqual([
      { type: 'progress', runId: 'r', fromStep: 1, losses: f(4, 3), lrs: [f(0.1, 0.05)] },
      { type: 'progress', runId: 'q', fromStep: 0, losses: f(9) },
      { type: 'progress', runId: 'r', fromStep: 3, losses: f(2), lrs: [f(0.02)] }
    ])
    // Contiguous events of one run become one; a state change delivers what is held first.
    const states: number[] = []
    connection.onRunState(() => states.push(progress.length))
    link.sink.message({ type: 'progress', runId: 'r', fromStep: 4, losses: f(1.5), lrs: lr([0.01]) })
    link.sink.message({ type: 'progress', runId: 'r', fromStep: 5, losses: f(1), lrs: lr([0.01]) })
    expect(progress).toHaveLength(4)
    link.sink.message({ type: 'runState', runId: 'r', status: 'finished', step: 6, totalSteps: 6, finalLoss: 1 })
    expect(progress.at(-1)).toEqual({ type: 'progress', runId: 'r', fromStep: 4, losses: f(1.5, 1), lrs: [f(0.01, 0.01)] })
    expect(states).toEqual([5])
    // Two quiet frames later, the next event goes out at once again.
    while (frames.length) frames.shift()!()
    link.sink.message({ type: 'progress', runId: 's', fromStep: 0, losses: f(7) })
    expect(progress).toHaveLength(6)
  })

  it('dispose closes the link and fails what is pending', async () => {
    const link = new FakeLink()
    const connection = new PortConnection(link)
    const pending = connection.request({ type: 'ping' })
    connection.dispose()
    expect(link.closed).toBe(true)
    await expect(pending).rejects.toThrow('closed')
    await expect(connection.request({ type: 'ping' })).rejects.toThrow('closed')
  })
})
