/**
 * The engine process dies mid-run (SIGKILL, as the OOM killer or a task manager would): the client
 * side says what happened, a new engine is started and answers, finished work kept on the client
 * side is untouched, and training works again. Real child processes of the BUILT host
 * (out/main/host.js; `npm test` builds first), driven by the renderer's own PortConnection and by
 * main's EngineSupervisor.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TrainingSession } from '../../src-main/engine/train/session'
import { EngineSupervisor, type EngineProcess } from '../../src-main/main/engine-supervisor'
import type { EngineCommand, EngineEvent, EngineLifecycleEvent } from '../../src-main/shared/protocol'
import { PortConnection, type EngineLink, type LinkSink } from '../../src-renderer/src/engine/connection'
import { smallConfig } from './engine-client'

const hostJs = join(import.meta.dirname, '../../out/main/host.js')
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill()
})

function forkHost(): ChildProcess {
  if (!existsSync(hostJs)) throw new Error(`${hostJs} is missing: run \`npm run build\` before the unit tests (npm test does both).`)
  const child = fork(hostJs, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  children.push(child)
  return child
}

/** What WorkerLink does for a Worker, for a forked process: a death is a crash, and a new one is started. */
class ForkLink implements EngineLink {
  child: ChildProcess | null = null
  forks = 0
  connect(sink: LinkSink): void {
    const child = forkHost()
    this.forks++
    this.child = child
    child.on('message', (message) => sink.message(message))
    child.on('exit', (code, signal) => {
      if (this.child !== child) return
      this.child = null
      sink.crashed(`the engine process was ended by ${signal ?? `exit code ${code}`}`, true)
      this.connect(sink)
    })
    sink.ready()
  }
  send(command: EngineCommand): void {
    this.child?.send(command)
  }
  close(): void {
    const child = this.child
    this.child = null
    child?.kill()
  }
}

function until<T>(predicate: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const poll = (): void => {
      const value = predicate()
      if (value) return resolve(value)
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`))
      setTimeout(poll, 5)
    }
    poll()
  })
}

describe('engine crash recovery (forked host killed mid-run)', () => {
  it('reports the crash, restarts the engine, keeps finished work, and trains again', async () => {
    const link = new ForkLink()
    const connection = new PortConnection(link)
    const lifecycle: EngineLifecycleEvent[] = []
    const losses = new Map<string, number[]>()
    const states = new Map<string, string>()
    connection.onLifecycle((event) => lifecycle.push(event))
    connection.onProgress((event) => {
      const list = losses.get(event.runId) ?? []
      list.splice(event.fromStep, event.losses.length, ...event.losses)
      losses.set(event.runId, list)
    })
    connection.onRunState((event) => states.set(event.runId, event.status))
    try {
      // A finished run, held by the client (as the renderer holds its runs).
      const config = smallConfig({ steps: 50 })
      await connection.request({ type: 'startRun', runId: 'done', config })
      await until(() => states.get('done') === 'finished', 'the first run to finish')
      const finished = [...losses.get('done')!]

      // A long run in progress, then the engine dies under it.
      await connection.request({ type: 'startRun', runId: 'long', config: smallConfig({ steps: 10_000_000 }) })
      await until(() => (losses.get('long')?.length ?? 0) > 100, 'the long run to make progress')
      const pending = connection.request({ type: 'inspectRun', runId: 'long' })
      link.child!.kill('SIGKILL')
      await expect(pending).rejects.toThrow(/The engine stopped: the engine process was ended by SIGKILL/)
      expect(lifecycle).toContainEqual({ type: 'engineCrashed', reason: 'the engine process was ended by SIGKILL', restarting: true })

      // A new engine answers; the old runs are gone there, the client's record of them is not.
      await until(() => lifecycle.filter((e) => e.type === 'engineReady').length >= 2, 'the restarted engine to answer')
      expect(link.forks).toBe(2)
      expect((await connection.request({ type: 'ping' })).engine).toMatch(/^optim-lab /)
      await expect(connection.request({ type: 'inspectRun', runId: 'long' })).rejects.toThrow(/There is no run "long"/)
      expect(losses.get('done')).toEqual(finished)

      // Training works again, and gives the same numbers as before the crash.
      await connection.request({ type: 'startRun', runId: 'again', config })
      await until(() => states.get('again') === 'finished', 'the run on the new engine to finish')
      expect(losses.get('again')).toEqual(finished)
      const session = new TrainingSession(config)
      expect(finished).toEqual(Array.from({ length: 50 }, () => session.step()))
    } finally {
      connection.dispose()
    }
  })

  it("main's supervisor restarts a killed engine process and tells the window why", async () => {
    const lifecycle: EngineLifecycleEvent[] = []
    const processes: ChildProcess[] = []
    const supervisor = new EngineSupervisor<never>(
      {
        fork: (): EngineProcess<never> => {
          const child = forkHost()
          processes.push(child)
          return {
            postMessage: () => undefined, // no MessagePorts between Node processes; the host talks over IPC
            kill: () => child.kill(),
            on: ((event: 'exit' | 'error', listener: (...args: any[]) => void) => {
              // Electron reports a killed utility process as `child-process-gone` with reason 'killed'.
              if (event === 'exit') child.on('exit', (code, signal) => {
                if (signal === 'SIGKILL') supervisor.noteGone('killed')
                listener(code ?? 137)
              })
            }) as EngineProcess<never>['on']
          }
        },
        createChannel: () => ({ port1: undefined as never, port2: undefined as never }),
        sendPortToRenderer: () => undefined,
        sendLifecycle: (event) => lifecycle.push(event),
        setTimer: (callback, ms) => setTimeout(callback, ms),
        clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
        now: () => Date.now()
      },
      { baseDelayMs: 50, maxDelayMs: 200, maxRestarts: 3, windowMs: 60_000 }
    )
    supervisor.start()
    supervisor.connect()
    const first = processes[0]
    const ping = (child: ChildProcess): Promise<EngineEvent> =>
      new Promise((resolve) => {
        child.once('message', (event) => resolve(event as EngineEvent))
        child.send({ type: 'ping', id: 1 })
      })
    expect(await ping(first)).toMatchObject({ type: 'reply', ok: true })
    first.kill('SIGKILL')
    await until(() => processes.length === 2, 'a new engine process')
    expect(lifecycle).toContainEqual({
      type: 'engineCrashed',
      reason: 'The engine process stopped: it was killed (by the system or from outside Optim Lab)',
      restarting: true
    })
    expect(await ping(processes[1])).toMatchObject({ type: 'reply', ok: true, result: { engine: expect.stringMatching(/^optim-lab/) } })
    expect(lifecycle.at(-1)).toEqual({ type: 'engineReady' })
    supervisor.dispose()
    await until(() => processes[1].signalCode !== null || processes[1].exitCode !== null, 'the engine to be killed on dispose')
  })
})
