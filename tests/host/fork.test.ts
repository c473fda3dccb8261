/**
 * The BUILT engine host (out/main/host.js, what Electron's utilityProcess.fork runs) in a real child
 * process, over Node IPC with structured clone. Needs `npm run build` first; without the build this
 * fails (it must not pass by skipping).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TrainingSession } from '../../src-main/engine/train/session'
import type { EngineEvent } from '../../src-main/shared/protocol'
import { EngineClient, ReplyError, smallConfig } from './engine-client'

const hostJs = join(import.meta.dirname, '../../out/main/host.js')
const children: ChildProcess[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill()
})

function startHost(): { child: ChildProcess; client: EngineClient } {
  if (!existsSync(hostJs)) {
    throw new Error(`${hostJs} is missing: run \`npm run build\` before the unit tests (npm test does both).`)
  }
  const child = fork(hostJs, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  children.push(child)
  const client = new EngineClient((message) => child.send(message as object))
  child.on('message', (event) => client.receive(event as EngineEvent))
  return { child, client }
}

describe('built engine host (out/main/host.js) under child_process.fork', () => {
  it('answers ping over IPC', async () => {
    const { client } = startHost()
    expect(await client.request({ type: 'ping' })).toEqual({ engine: expect.stringMatching(/^optim-lab /), kernels: expect.any(String) })
  })

  it('trains a run and streams every loss, matching the engine stepped in-process', async () => {
    const { client } = startHost()
    const config = smallConfig({ steps: 200 })
    const snapshot = await client.request({ type: 'startRun', runId: 'fork', config })
    expect(snapshot.identity.every((row) => row.sameObject)).toBe(true)
    const finished = await client.waitForState('fork', 'finished')

    const session = new TrainingSession(config)
    const expected = Array.from({ length: config.steps }, () => session.step())
    expect(client.losses('fork')).toEqual(expected)
    expect(finished.finalLoss).toBe(session.evaluateLoss())

    const weights = await client.request({ type: 'exportWeights', runId: 'fork' })
    expect(weights.meta.steps).toBe(200)
    expect(Object.keys(weights.state_dict)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias'])
  })

  it('reports a malformed command without dying', async () => {
    const { child, client } = startHost()
    client.send({ type: 'startRun', id: 5, runId: 'bad', config: { nonsense: true } })
    const reply = await client.waitFor((e) => e.type === 'reply' && e.id === 5)
    expect(reply).toMatchObject({ ok: false, error: { name: 'ProtocolError' } })
    await expect(client.request({ type: 'inspectRun', runId: 'bad' })).rejects.toBeInstanceOf(ReplyError)
    expect(child.exitCode).toBeNull()
    expect((await client.request({ type: 'ping' })).engine).toMatch(/optim-lab/)
  })

  it('exits when its parent disconnects', async () => {
    const { child } = startHost()
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.disconnect()
    expect(await exited).toBe(0)
  })
})
