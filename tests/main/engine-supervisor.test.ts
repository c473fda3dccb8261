import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { electronStub } from './electron-mock'
import type { EngineLifecycleEvent } from '../../src-main/shared/protocol'

vi.mock('electron', () => electronStub())

const { EngineSupervisor, restartDelay, DEFAULT_RESTART_POLICY } = await import('../../src-main/main/engine-supervisor')

interface Port {
  name: string
}

class FakeChild extends EventEmitter {
  readonly messages: { message: unknown; transfer?: Port[] }[] = []
  killed = false
  postMessage(message: unknown, transfer?: Port[]): void {
    this.messages.push({ message, transfer })
  }
  kill(): boolean {
    this.killed = true
    // Like Electron: the exit event follows the kill.
    queueMicrotask(() => this.emit('exit', 15))
    return true
  }
  crash(code = 1): void {
    this.emit('exit', code)
  }
}

function setup(policy = DEFAULT_RESTART_POLICY) {
  const children: FakeChild[] = []
  const rendererPorts: Port[] = []
  const lifecycle: EngineLifecycleEvent[] = []
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = []
  let clock = 0
  let channels = 0
  const supervisor = new EngineSupervisor<Port>(
    {
      fork: () => {
        const child = new FakeChild()
        children.push(child)
        return child
      },
      createChannel: () => {
        channels++
        return { port1: { name: `engine-${channels}` }, port2: { name: `renderer-${channels}` } }
      },
      sendPortToRenderer: (port) => rendererPorts.push(port),
      sendLifecycle: (event) => lifecycle.push(event),
      setTimer: (callback, ms) => {
        const timer = { callback, ms, cleared: false }
        timers.push(timer)
        return timer
      },
      clearTimer: (handle) => void ((handle as { cleared: boolean }).cleared = true),
      now: () => clock
    },
    policy
  )
  const fireTimers = (): void => {
    for (const timer of timers.splice(0)) if (!timer.cleared) timer.callback()
  }
  return { supervisor, children, rendererPorts, lifecycle, timers, fireTimers, advance: (ms: number) => (clock += ms) }
}

describe('restartDelay', () => {
  it('doubles from the base delay up to the cap, then gives up', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 500, maxRestarts: 5, windowMs: 60_000 }
    expect([1, 2, 3, 4, 5].map((n) => restartDelay(policy, n))).toEqual([100, 200, 400, 500, 500])
    expect(restartDelay(policy, 6)).toBeNull()
  })
})

describe('EngineSupervisor', () => {
  it('brokers one channel per connect: port1 to the engine, port2 to the renderer', () => {
    const { supervisor, children, rendererPorts, lifecycle } = setup()
    supervisor.start()
    supervisor.connect()
    expect(children).toHaveLength(1)
    expect(children[0].messages).toEqual([{ message: { type: 'connect' }, transfer: [{ name: 'engine-1' }] }])
    expect(rendererPorts).toEqual([{ name: 'renderer-1' }])
    expect(lifecycle).toEqual([{ type: 'engineReady' }])
    // A reloaded renderer asks again and gets a new channel to the same process.
    supervisor.connect()
    expect(children).toHaveLength(1)
    expect(children[0].messages[1].transfer).toEqual([{ name: 'engine-2' }])
    expect(rendererPorts).toEqual([{ name: 'renderer-1' }, { name: 'renderer-2' }])
  })

  it('reports a crash, restarts after the backoff and hands the renderer a new port', () => {
    const { supervisor, children, rendererPorts, lifecycle, timers, fireTimers } = setup()
    supervisor.start()
    supervisor.connect()
    children[0].crash(139)

    expect(lifecycle.at(-1)).toEqual({
      type: 'engineCrashed',
      reason: expect.stringContaining('code 139'),
      restarting: true
    })
    expect(supervisor.state).toBe('restarting')
    expect(timers.map((t) => t.ms)).toEqual([DEFAULT_RESTART_POLICY.baseDelayMs])
    expect(children).toHaveLength(1)

    fireTimers()
    expect(children).toHaveLength(2)
    expect(supervisor.state).toBe('running')
    expect(children[1].messages).toEqual([{ message: { type: 'connect' }, transfer: [{ name: 'engine-2' }] }])
    expect(rendererPorts.at(-1)).toEqual({ name: 'renderer-2' })
    expect(lifecycle.at(-1)).toEqual({ type: 'engineReady' })
  })

  it('coalesces a connect during the backoff into the one port handed after the restart', () => {
    const { supervisor, children, rendererPorts, fireTimers } = setup()
    supervisor.start()
    supervisor.connect()
    children[0].crash()
    supervisor.connect()
    expect(rendererPorts).toHaveLength(1)
    fireTimers()
    expect(rendererPorts).toHaveLength(2)
    expect(children[1].messages).toHaveLength(1)
  })

  it('backs off exponentially and gives up after too many crashes in the window', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000, maxRestarts: 3, windowMs: 60_000 }
    const { supervisor, children, lifecycle, timers, fireTimers, advance } = setup(policy)
    supervisor.start()
    const delays: number[] = []
    for (let crash = 0; crash < 3; crash++) {
      children.at(-1)!.crash()
      delays.push(timers[0].ms)
      advance(timers[0].ms)
      fireTimers()
    }
    expect(delays).toEqual([100, 200, 400])
    children.at(-1)!.crash()
    expect(timers).toHaveLength(0)
    expect(children).toHaveLength(4)
    expect(supervisor.state).toBe('failed')
    expect(lifecycle.at(-1)).toEqual({
      type: 'engineCrashed',
      reason: expect.stringMatching(/crashed 4 times within 60 s, so it was not restarted/),
      restarting: false
    })
    // Asking again does not start a crash loop; the renderer is told the engine is down.
    supervisor.connect()
    expect(children).toHaveLength(4)
    expect(lifecycle.at(-1)).toMatchObject({ type: 'engineCrashed', restarting: false })
  })

  it('forgets crashes older than the window', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000, maxRestarts: 2, windowMs: 10_000 }
    const { supervisor, children, timers, fireTimers, advance } = setup(policy)
    supervisor.start()
    for (let crash = 0; crash < 5; crash++) {
      children.at(-1)!.crash()
      expect(timers[0].ms).toBe(100)
      advance(20_000)
      fireTimers()
    }
    expect(supervisor.state).toBe('running')
  })

  it('kills the engine when the window closes, and does not restart it', async () => {
    const { supervisor, children, lifecycle, timers } = setup()
    supervisor.start()
    supervisor.connect()
    supervisor.dispose()
    expect(children[0].killed).toBe(true)
    await Promise.resolve() // the exit event after the kill
    expect(timers).toHaveLength(0)
    expect(lifecycle.filter((e) => e.type === 'engineCrashed')).toHaveLength(0)
    expect(supervisor.state).toBe('disposed')
    supervisor.connect()
    supervisor.start()
    expect(children).toHaveLength(1)
  })

  it('cancels a pending restart when the window closes during the backoff', () => {
    const { supervisor, children, timers, fireTimers } = setup()
    supervisor.start()
    children[0].crash()
    expect(timers).toHaveLength(1)
    supervisor.dispose()
    expect(timers[0].cleared).toBe(true)
    fireTimers()
    expect(children).toHaveLength(1)
  })

  it('includes a fatal error report in the crash reason', () => {
    const { supervisor, children, lifecycle } = setup()
    supervisor.start()
    children[0].emit('error', 'FatalError', 'v8::OOM')
    children[0].crash(5)
    expect(lifecycle.at(-1)).toMatchObject({ reason: expect.stringContaining('FatalError at v8::OOM') })
  })
})
