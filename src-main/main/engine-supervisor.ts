/**
 * Owns the engine's utility process for one window: starts it, brokers a MessagePort between it and
 * the renderer (training traffic then bypasses main), restarts it with backoff after a crash and
 * tells the renderer, and kills it when the window closes. Electron objects come in through
 * `SupervisorDeps`, so the policy runs under Node tests with fakes.
 */
import type { EngineLifecycleEvent } from '../shared/protocol'

/** The slice of Electron's UtilityProcess used here. */
export interface EngineProcess<Port> {
  postMessage(message: unknown, transfer?: Port[]): void
  kill(): boolean
  on(event: 'exit', listener: (code: number) => void): unknown
  on(event: 'error', listener: (type: string, location: string) => void): unknown
}

export interface SupervisorDeps<Port> {
  /** `utilityProcess.fork(out/main/host.js, ...)`. */
  fork(): EngineProcess<Port>
  /** `new MessageChannelMain()`. */
  createChannel(): { port1: Port; port2: Port }
  /** `webContents.postMessage(IPC.enginePort, null, [port])`. */
  sendPortToRenderer(port: Port): void
  /** `webContents.send(IPC.engineLifecycle, event)`. */
  sendLifecycle(event: EngineLifecycleEvent): void
  setTimer(callback: () => void, ms: number): unknown
  clearTimer(handle: unknown): void
  now(): number
  log?(message: string): void
}

export interface RestartPolicy {
  /** Delay before the first restart; doubles with each crash inside `windowMs`. */
  baseDelayMs: number
  maxDelayMs: number
  /** Crashes tolerated inside `windowMs`; one more and the engine stays down. */
  maxRestarts: number
  windowMs: number
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRestarts: 5,
  windowMs: 60_000
}

/** Delay before restarting after the `crashCount`-th crash in the window, or null to give up. */
export function restartDelay(policy: RestartPolicy, crashCount: number): number | null {
  if (crashCount > policy.maxRestarts) return null
  return Math.min(policy.baseDelayMs * 2 ** Math.max(0, crashCount - 1), policy.maxDelayMs)
}

export type SupervisorState = 'idle' | 'running' | 'restarting' | 'failed' | 'disposed'

/** Electron's `child-process-gone` reasons, in words for the student. */
const GONE_REASONS: Record<string, string> = {
  oom: 'it ran out of memory',
  killed: 'it was killed (by the system or from outside Optim Lab)',
  crashed: 'it crashed',
  'launch-failed': 'it could not be started',
  'integrity-failure': 'its code failed an integrity check'
}

/** Why the engine stopped, from its exit code and, when Electron told us, the reason it gave. */
export function describeExit(code: number | null, goneReason: string | null, detail: string | null): string {
  const why = (goneReason && GONE_REASONS[goneReason]) ?? (code === null ? 'it stopped' : `it exited unexpectedly with code ${code}`)
  return `The engine process stopped: ${why}${detail ? ` (${detail})` : ''}`
}

export class EngineSupervisor<Port> {
  private child: EngineProcess<Port> | null = null
  private restartTimer: unknown = null
  private crashTimes: number[] = []
  /** Set once the renderer asked for a port; after a restart it gets a new one unasked. */
  private rendererConnected = false
  private lastError: string | null = null
  /** Electron's `child-process-gone` reason for the current process, if it came before `exit`. */
  private goneReason: string | null = null
  state: SupervisorState = 'idle'

  constructor(
    private readonly deps: SupervisorDeps<Port>,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY
  ) {}

  start(): void {
    if (this.state === 'disposed' || this.child) return
    const child = this.deps.fork()
    this.child = child
    this.state = 'running'
    this.lastError = null
    this.goneReason = null
    child.on('error', (type, location) => {
      this.lastError = `${type} at ${location}`
    })
    child.on('exit', (code) => this.onExit(child, code))
  }

  /** `app.on('child-process-gone')` for the engine: remembers why (`oom`, `killed`...) for the report. */
  noteGone(reason: string): void {
    if (this.child) this.goneReason = reason
  }

  /** A fresh channel: one end to the engine, the other to the renderer. */
  connect(): void {
    if (this.state === 'disposed') return
    this.rendererConnected = true
    if (this.state === 'failed') {
      this.deps.sendLifecycle({ type: 'engineCrashed', reason: 'The engine is not running', restarting: false })
      return
    }
    if (!this.child) {
      // Restarting: the port is handed once the new process is up.
      if (this.state === 'idle') this.start()
      else return
    }
    this.handPort()
  }

  private handPort(): void {
    if (!this.child) return
    const { port1, port2 } = this.deps.createChannel()
    this.child.postMessage({ type: 'connect' }, [port1])
    this.deps.sendPortToRenderer(port2)
    this.deps.sendLifecycle({ type: 'engineReady' })
  }

  private onExit(child: EngineProcess<Port>, code: number): void {
    if (child !== this.child) return
    this.child = null
    if (this.state === 'disposed') return
    const now = this.deps.now()
    this.crashTimes = this.crashTimes.filter((t) => now - t < this.policy.windowMs)
    this.crashTimes.push(now)
    const reason = describeExit(code, this.goneReason, this.lastError)
    const delay = restartDelay(this.policy, this.crashTimes.length)
    this.deps.log?.(`${reason}; ${delay === null ? 'giving up' : `restarting in ${delay} ms`}`)
    if (delay === null) {
      this.state = 'failed'
      this.deps.sendLifecycle({
        type: 'engineCrashed',
        reason: `${reason}. It crashed ${this.crashTimes.length} times within ${this.policy.windowMs / 1000} s, so it was not restarted; restart Optim Lab.`,
        restarting: false
      })
      return
    }
    this.state = 'restarting'
    this.deps.sendLifecycle({ type: 'engineCrashed', reason, restarting: true })
    this.restartTimer = this.deps.setTimer(() => {
      this.restartTimer = null
      if (this.state !== 'restarting') return
      this.start()
      if (this.rendererConnected) this.handPort()
    }, delay)
  }

  /** The window is gone: stop restarting and kill the process. */
  dispose(): void {
    if (this.state === 'disposed') return
    this.state = 'disposed'
    if (this.restartTimer !== null) this.deps.clearTimer(this.restartTimer)
    this.restartTimer = null
    const child = this.child
    this.child = null
    child?.kill()
  }
}
