/**
 * The engine host in-process, over a real structured-clone transport (node:worker_threads
 * MessageChannel), exactly as the utility process and the Web Worker use it.
 */
import { describe, expect, it } from 'vitest'
import { TrainingSession } from '../../src-main/engine/train/session'
import { WEIGHTS_FORMAT, WEIGHTS_VERSION, type SerializedTensor } from '../../src-main/shared/weights-file'
import { LESSON_CONFIG, type LabConfig } from '../../src-main/shared/config'
import type { EngineEvent } from '../../src-main/shared/protocol'
import { serve } from '../../src-main/host/serve'
import { EngineClient, ReplyError, sleep, smallConfig, type ProgressEvent } from './engine-client'
import { inProcessHosts } from './in-process-host'

const { connect, host } = inProcessHosts()

/** The same run stepped directly, for comparison: the host must add nothing and lose nothing. */
function directLosses(config: LabConfig, steps = config.steps): { losses: number[]; finalLoss: number } {
  const session = new TrainingSession(config)
  const losses: number[] = []
  for (let t = 0; t < steps; t++) losses.push(session.step())
  return { losses, finalLoss: session.evaluateLoss() }
}

async function expectReplyError(promise: Promise<unknown>, pattern: RegExp): Promise<ReplyError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ReplyError)
  expect((error as ReplyError).error.message).toMatch(pattern)
  return error as ReplyError
}

describe('engine host: serve()', () => {
  it('answers ping with the engine and kernel names', async () => {
    const client = connect()
    const result = await client.request({ type: 'ping' })
    expect(result.engine).toMatch(/^optim-lab /)
    expect(result.kernels).toBe('typescript')
  })

  it('sends every step loss of a run, in order, none missing, then finished with the final loss', async () => {
    const client = connect()
    const config = smallConfig({ steps: 300 })
    const snapshot = await client.request({ type: 'startRun', runId: 'a', config })
    expect(snapshot.step).toBe(0)
    expect(snapshot.totalSteps).toBe(300)
    const finished = await client.waitForState('a', 'finished')

    const expected = directLosses(config)
    expect(client.losses('a')).toEqual(expected.losses)
    expect(finished.step).toBe(300)
    expect(finished.totalSteps).toBe(300)
    expect(finished.finalLoss).toBe(expected.finalLoss)
    expect(client.states('a').map((s) => s.status)).toEqual(['running', 'finished'])
    // Batched: far fewer messages than steps, and the progress all arrived before `finished`.
    const progress = client.progress('a')
    expect(progress.length).toBeLessThan(300)
    expect(client.events.indexOf(finished)).toBeGreaterThan(client.events.indexOf(progress[progress.length - 1]))
  })

  it('sends the first loss on its own, right after the first step', async () => {
    const client = connect()
    const config = { ...LESSON_CONFIG, steps: 20 }
    await client.request({ type: 'startRun', runId: 'first', config })
    await client.waitForState('first', 'finished')
    const [first, second] = client.progress('first')
    // Not held back for batching: one loss, then the rest in later messages.
    expect(first.fromStep).toBe(0)
    expect(Array.from(first.losses)).toEqual(directLosses({ ...config, steps: 1 }).losses)
    expect(second.fromStep).toBe(1)
  })

  it('hands progress over as Float64Arrays whose buffers are transferred, not copied', async () => {
    const sent: { event: EngineEvent; transfer: ArrayBuffer[] }[] = []
    let handle: (message: unknown) => void = () => undefined
    const server = serve(
      { postMessage: (event, transfer) => sent.push({ event, transfer: transfer ?? [] }), onMessage: (handler) => (handle = handler) },
      { warmUp: false }
    )
    try {
      handle({ type: 'startRun', id: 1, runId: 't', config: smallConfig({ steps: 40 }) })
      while (!sent.some(({ event }) => event.type === 'runState' && event.status === 'finished')) await sleep(5)
    } finally {
      server.dispose()
    }
    const progress = sent.filter(({ event }) => event.type === 'progress')
    expect(progress.length).toBeGreaterThan(0)
    let steps = 0
    for (const { event, transfer } of progress) {
      if (event.type !== 'progress') continue
      expect(event.losses).toBeInstanceOf(Float64Array)
      expect(event.lrs).toHaveLength(1)
      expect(transfer).toEqual([event.losses.buffer, event.lrs![0].buffer])
      steps += event.losses.length
    }
    expect(steps).toBe(40)
  })

  it('stays responsive while training: commands are handled between steps of the lesson net', async () => {
    const client = connect()
    // One lesson step (~25 ms) outlasts a 12 ms slice, so the host yields after every step.
    await client.request({ type: 'startRun', runId: 'busy', config: { ...LESSON_CONFIG, steps: 100_000 } })
    for (let probe = 0; probe < 3; probe++) {
      const batch = await client.waitFor<ProgressEvent>((e) => e.type === 'progress' && e.runId === 'busy')
      const seen = batch.fromStep + batch.losses.length
      const snapshot = await client.request({ type: 'inspectRun', runId: 'busy' })
      // Counted in steps, not milliseconds, so a busy machine does not make this flaky.
      expect(snapshot.step - seen).toBeLessThanOrEqual(5)
    }
    await client.request({ type: 'stopRun', runId: 'busy' })
  })

  it('pauses, resumes and stops; no loss goes missing across the transitions', async () => {
    const client = connect()
    const config = smallConfig({ steps: 1_000_000 })
    await client.request({ type: 'startRun', runId: 'p', config })
    await client.waitFor((e) => e.type === 'progress' && e.runId === 'p' && e.fromStep > 0)

    const paused = await client.request({ type: 'pauseRun', runId: 'p' })
    const pausedState = await client.waitForState('p', 'paused')
    expect(pausedState.step).toBe(paused.step)
    expect(client.losses('p')).toHaveLength(paused.step)
    const countWhilePaused = client.progress('p').length
    await sleep(60)
    expect(client.progress('p').length).toBe(countWhilePaused)
    // Pausing twice is harmless.
    expect((await client.request({ type: 'pauseRun', runId: 'p' })).step).toBe(paused.step)

    await client.request({ type: 'resumeRun', runId: 'p' })
    await client.waitForState('p', 'running')
    await client.waitFor((e) => e.type === 'progress' && e.runId === 'p' && e.fromStep > paused.step)

    const stopped = await client.request({ type: 'stopRun', runId: 'p' })
    const stoppedState = await client.waitForState('p', 'stopped')
    expect(stoppedState.step).toBe(stopped.step)
    expect(stoppedState.step).toBeGreaterThan(paused.step)
    const losses = client.losses('p')
    expect(losses).toHaveLength(stopped.step)
    expect(losses).toEqual(directLosses(config, stopped.step).losses)
    expect(stoppedState.finalLoss).toBe(directLosses(config, stopped.step).finalLoss)
    expect(client.states('p').map((s) => s.status)).toEqual(['running', 'paused', 'running', 'stopped'])

    await expectReplyError(client.request({ type: 'resumeRun', runId: 'p' }), /already stopped/)
    await expectReplyError(client.request({ type: 'stepRun', runId: 'p' }), /already stopped/)
  })

  it('steps a paused run exactly once per stepRun, and refuses to step a running one', async () => {
    const client = connect()
    const config = smallConfig({ steps: 3 })
    await client.request({ type: 'startRun', runId: 's', config, paused: true })
    expect((await client.waitForState('s', 'paused')).step).toBe(0)
    await sleep(30)
    expect(client.progress('s')).toHaveLength(0)

    const expected = directLosses(config)
    const first = await client.request({ type: 'stepRun', runId: 's' })
    expect(first).toEqual({ step: 1, loss: expected.losses[0] })
    const second = await client.request({ type: 'stepRun', runId: 's' })
    expect(second).toEqual({ step: 2, loss: expected.losses[1] })
    expect(client.losses('s')).toEqual(expected.losses.slice(0, 2))

    // The last step finishes the run.
    const third = await client.request({ type: 'stepRun', runId: 's' })
    expect(third.step).toBe(3)
    const finished = await client.waitForState('s', 'finished')
    expect(finished.finalLoss).toBe(expected.finalLoss)
    await expectReplyError(client.request({ type: 'stepRun', runId: 's' }), /already finished/)

    await client.request({ type: 'startRun', runId: 'r', config: smallConfig({ steps: 1_000_000 }) })
    await expectReplyError(client.request({ type: 'stepRun', runId: 'r' }), /is running; pause it/)
    await client.request({ type: 'stopRun', runId: 'r' })
  })

  it('inspects a run: every identity row is the same object, with PyTorch names and shapes', async () => {
    const client = connect()
    const snapshot = await client.request({ type: 'startRun', runId: 'i', config: smallConfig(), paused: true })
    expect(snapshot.identity.map((row) => [row.name, row.shape])).toEqual([
      ['0.weight', [6, 5]],
      ['0.bias', [6]],
      ['2.weight', [3, 6]],
      ['2.bias', [3]]
    ])
    for (const row of snapshot.identity) {
      expect(row.sameObject).toBe(true)
      expect(row.groupId).toBe(row.modelId)
      expect(row.group).toBe(0)
    }
    expect(new Set(snapshot.identity.map((row) => row.modelId)).size).toBe(4)
    expect(snapshot.modelRepr).toMatch(/^Sequential\(\n {2}\(0\): Linear\(in_features=5, out_features=6, bias=True\)/)
    expect(snapshot.paramGroups[0]).toMatchObject({ lr: 1e-2, betas: [0.9, 0.999], params: [0, 1, 2, 3] })

    await client.request({ type: 'stepRun', runId: 'i' })
    const after = await client.request({ type: 'inspectRun', runId: 'i' })
    expect(after.step).toBe(1)
    const weight = after.parameters.find((p) => p.name === '0.weight')!
    expect(weight.gradNorm).toBeGreaterThan(0)
    expect(Object.keys(weight.state).sort()).toEqual(['exp_avg', 'exp_avg_sq', 'step'])
    expect(weight.state.step).toBe(1)
  })

  it('exports a valid weights file, with optimizer state once a step was taken', async () => {
    const client = connect()
    const config = smallConfig({ steps: 5 })
    await client.request({ type: 'startRun', runId: 'w', config, paused: true })
    const initial = await client.request({ type: 'exportWeights', runId: 'w' })
    expect(initial.optimizer).toBeUndefined()
    expect(initial.meta.steps).toBe(0)

    await client.request({ type: 'resumeRun', runId: 'w' })
    const finished = await client.waitForState('w', 'finished')
    const file = await client.request({ type: 'exportWeights', runId: 'w' })
    expect(file.format).toBe(WEIGHTS_FORMAT)
    expect(file.version).toBe(WEIGHTS_VERSION)
    expect(file.architecture).toEqual([
      { type: 'Linear', in_features: 5, out_features: 6, bias: true },
      { type: 'ReLU' },
      { type: 'Linear', in_features: 6, out_features: 3, bias: true }
    ])
    const shapes = Object.fromEntries(Object.entries(file.state_dict).map(([k, v]) => [k, v.shape]))
    expect(shapes).toEqual({ '0.weight': [6, 5], '0.bias': [6], '2.weight': [3, 6], '2.bias': [3] })
    for (const tensor of Object.values(file.state_dict)) {
      expect(tensor.dtype).toBe('float32')
      expect(tensor.data).toHaveLength(tensor.shape.reduce((a, b) => a * b, 1))
      expect(tensor.data.every(Number.isFinite)).toBe(true)
    }
    expect(file.meta).toMatchObject({ seed: 0, steps: 5, final_loss: finished.finalLoss })
    expect(file.optimizer?.type).toBe('Adam')
    expect(file.optimizer?.state_dict.param_groups[0].params).toEqual([0, 1, 2, 3])
    expect((file.optimizer?.state_dict.state['0'].exp_avg as SerializedTensor).shape).toEqual([6, 5])
    expect(file.optimizer?.state_dict.state['0'].step).toBe(5)
    // It survives JSON exactly (what the save dialog writes).
    expect(JSON.parse(JSON.stringify(file))).toEqual(file)
  })

  it('finishes a run of zero steps at once, with its initial weights exportable', async () => {
    const client = connect()
    const config = smallConfig({ steps: 0 })
    await client.request({ type: 'startRun', runId: 'z', config })
    const finished = await client.waitForState('z', 'finished')
    expect(finished.step).toBe(0)
    expect(finished.finalLoss).toBe(new TrainingSession(config).evaluateLoss())
    expect(client.progress('z')).toHaveLength(0)
  })

  it('fails a diverging run at the step whose loss is not finite, keeping every loss before it', async () => {
    const client = connect()
    const config = smallConfig({ optimizer: 'SGD', hyper: { lr: 1e10 }, steps: 1000 })
    await client.request({ type: 'startRun', runId: 'nan', config })
    const failed = await client.waitForState('nan', 'failed')
    const losses = client.losses('nan')
    expect(losses.length).toBeGreaterThan(0)
    expect(losses.every(Number.isFinite)).toBe(true)
    expect(failed.message).toMatch(new RegExp(`became (NaN|Infinity|-Infinity) at step ${losses.length}\\b`))
    expect(failed.message).toMatch(/learning rate/)
    expect(failed.finalLoss).toBeUndefined()
    expect(failed.step).toBe(losses.length) // the step that failed; the chart and console hold every one before it
    // What came before is identical to stepping the session directly.
    expect(losses).toEqual(directLosses(config, losses.length).losses)
    // The failed run can still be inspected, but not resumed.
    expect((await client.request({ type: 'inspectRun', runId: 'nan' })).identity).toHaveLength(4)
    await expectReplyError(client.request({ type: 'resumeRun', runId: 'nan' }), /has failed/)
  })

  it('steps several runs round-robin, each stream complete', async () => {
    const client = connect()
    const configs = {
      adam: smallConfig({ steps: 3000 }),
      sgd: smallConfig({ optimizer: 'SGD', hyper: { lr: 1e-3, momentum: 0.9 }, steps: 3000 }),
      rms: smallConfig({ optimizer: 'RMSprop', hyper: { lr: 1e-3 }, steps: 3000 })
    }
    await Promise.all(Object.entries(configs).map(([runId, config]) => client.request({ type: 'startRun', runId, config })))
    await Promise.all(Object.keys(configs).map((runId) => client.waitForState(runId, 'finished')))
    for (const [runId, config] of Object.entries(configs)) {
      expect(client.losses(runId)).toEqual(directLosses(config).losses)
    }
    // Interleaved, not one after another: every run had sent progress before any finished.
    const firstFinish = client.events.findIndex((e) => e.type === 'runState' && e.status === 'finished')
    for (const runId of Object.keys(configs)) {
      const firstProgress = client.events.findIndex((e) => e.type === 'progress' && e.runId === runId)
      expect(firstProgress).toBeLessThan(firstFinish)
    }
  })

  it('disposes a run: its progress stops and it is forgotten', async () => {
    const client = connect()
    await client.request({ type: 'startRun', runId: 'd', config: smallConfig({ steps: 1_000_000 }) })
    await client.waitFor((e) => e.type === 'progress' && e.runId === 'd')
    expect(await client.request({ type: 'disposeRun', runId: 'd' })).toBeNull()
    await sleep(20)
    const count = client.progress('d').length
    await sleep(60)
    expect(client.progress('d').length).toBe(count)
    await expectReplyError(client.request({ type: 'inspectRun', runId: 'd' }), /no run "d"/)
    // The id can be used again.
    await client.request({ type: 'startRun', runId: 'd', config: smallConfig({ steps: 2 }) })
    await client.waitForState('d', 'finished')
  })

  it('answers malformed commands with errors and keeps serving', async () => {
    const client = connect()
    for (const junk of [42, null, 'startRun', [1, 2], { id: 7 }]) client.send(junk)
    const hostErrors = () => client.events.filter((e) => e.type === 'hostError')
    await client.waitFor(() => hostErrors().length === 4, 5_000, 'four hostError events')
    expect(hostErrors().length).toBe(4)
    // { id: 7 } has an id, so it gets a reply instead.
    await client.waitFor((e) => e.type === 'reply' && e.id === 7 && !e.ok)

    client.send({ type: 'launchMissiles', id: 1000 })
    const unknown = await client.waitFor((e) => e.type === 'reply' && e.id === 1000)
    expect(unknown).toMatchObject({ ok: false, error: { name: 'ProtocolError', message: expect.stringMatching(/Unknown command type "launchMissiles"/) } })
    client.send({ type: 'ping' })
    const noId = await client.waitFor((e) => e.type === 'hostError' && /needs an integer "id"/.test(e.error.message))
    expect(noId.type).toBe('hostError')

    const startWith = (runId: unknown, config: unknown) =>
      client.request({ type: 'startRun', runId, config } as unknown as Parameters<EngineClient['request']>[0])
    await expectReplyError(startWith('', smallConfig()), /runId/)
    await expectReplyError(startWith('x', undefined), /config: must be an object, got undefined/)
    await expectReplyError(startWith('x', smallConfig({ hidden: [-1] })), /config\.hidden\[0\]: must be an integer from 1 to 1000000, got -1/)
    await expectReplyError(startWith('x', { ...smallConfig(), activation: 'gelu' }), /config\.activation: must be one of relu/)
    await expectReplyError(startWith('x', { ...smallConfig(), hyper: { lr: '0.1' } }), /config\.hyper\.lr: must be a number, got "0\.1"/)
    await expectReplyError(startWith('x', { ...smallConfig(), extra: 1 }), /config\.extra: is not a configuration field/)
    await expectReplyError(startWith('x', smallConfig({ hyper: { lr: Number.NaN } })), /config\.hyper\.lr: Invalid learning rate: nan/)
    await expectReplyError(startWith('x', smallConfig({ hyper: { lr: Infinity } })), /config\.hyper\.lr: Invalid learning rate: inf/)
    await expectReplyError(startWith('x', smallConfig({ optimizer: 'SGD', hyper: { lr: 0.1, betas: [0.9, 0.99] } })), /betas does not apply to SGD/)
    await expectReplyError(startWith('x', smallConfig({ dIn: 1_000_000, n: 1_000_000 })), /config\.memory/)
    // Value checks belong to the optimizer, with PyTorch's message.
    await expectReplyError(startWith('x', smallConfig({ hyper: { lr: -1 } })), /Invalid learning rate: -1/)
    await expectReplyError(client.request({ type: 'pauseRun', runId: 'nobody' }), /There is no run "nobody"/)
    await client.request({ type: 'startRun', runId: 'dup', config: smallConfig({ steps: 1 }) })
    await expectReplyError(client.request({ type: 'startRun', runId: 'dup', config: smallConfig() }), /already exists/)

    expect((await client.request({ type: 'ping' })).kernels).toBe('typescript')
  })

  it('goes silent after dispose()', async () => {
    const { client, server } = host()
    await client.request({ type: 'startRun', runId: 'gone', config: smallConfig({ steps: 1_000_000 }) })
    await client.waitFor((e) => e.type === 'progress')
    server.dispose()
    await sleep(20)
    const count = client.events.length
    client.send({ type: 'ping', id: 999 })
    await sleep(60)
    expect(client.events.length).toBe(count)
  })
})
