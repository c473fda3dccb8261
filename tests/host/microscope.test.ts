/**
 * The optimizer-state microscope through the engine host, in-process over a real structured-clone
 * transport (node:worker_threads MessageChannel), as serve.test.ts drives it.
 */
import { describe, expect, it } from 'vitest'
import { TrainingSession } from '../../src-main/engine/train/session'
import type { SerializedTensor } from '../../src-main/shared/weights-file'
import { ReplyError, smallConfig } from './engine-client'
import { inProcessHosts } from './in-process-host'

const { connect } = inProcessHosts()

async function replyError(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ReplyError)
  return (error as ReplyError).error
}

const data = (t: SerializedTensor | number): number[] => (typeof t === 'number' ? [t] : t.data)

describe('inspectState', () => {
  it('has only θ before the first step, then .grad, Δθ, effective lr and every state tensor', async () => {
    const client = connect({ warmUp: false })
    await client.request({ type: 'startRun', runId: 'a', config: smallConfig(), paused: true })
    const fresh = await client.request({ type: 'inspectState', runId: 'a', parameter: '0.weight', view: 'param' })
    expect(fresh.views).toEqual(['param'])
    expect(fresh.shape).toEqual([6, 5])
    expect(fresh.values).toBeInstanceOf(Float32Array)
    const exported0 = await client.request({ type: 'exportWeights', runId: 'a' })
    expect(Array.from(fresh.values)).toEqual(exported0.state_dict['0.weight'].data)
    expect(fresh.min).toBe(Math.min(...exported0.state_dict['0.weight'].data))
    expect(fresh.max).toBe(Math.max(...exported0.state_dict['0.weight'].data))

    await client.request({ type: 'stepRun', runId: 'a' })
    const theta1 = (await client.request({ type: 'exportWeights', runId: 'a' })).state_dict['0.weight'].data
    await client.request({ type: 'stepRun', runId: 'a' })
    const file = await client.request({ type: 'exportWeights', runId: 'a' })
    const theta2 = file.state_dict['0.weight'].data

    const view = (name: string) => client.request({ type: 'inspectState', runId: 'a', parameter: '0.weight', view: name })
    const sq = await view('exp_avg_sq')
    expect(sq.views).toEqual(['param', 'grad', 'delta', 'effective_lr', 'exp_avg', 'exp_avg_sq'])
    expect(sq.scalars).toEqual({ step: 2 })
    expect(sq.step).toBe(2)
    const state = file.optimizer!.state_dict.state[0]
    expect(Array.from(sq.values)).toEqual(data(state.exp_avg_sq))
    expect(Array.from((await view('exp_avg')).values)).toEqual(data(state.exp_avg))

    const delta = await view('delta')
    expect(delta.values).toBeInstanceOf(Float64Array)
    expect(Array.from(delta.values)).toEqual(theta2.map((x, i) => x - theta1[i]))
    expect(delta.values.some((x) => x !== 0)).toBe(true)
    const grad = Array.from((await view('grad')).values)
    const effective = Array.from((await view('effective_lr')).values)
    effective.forEach((lr, i) => {
      if (grad[i] === 0) expect(lr).toBeNaN()
      else expect(lr).toBe(Math.abs(delta.values[i]) / Math.abs(grad[i]))
    })
  })

  it('answers a parameter or view that does not exist with a KeyError naming the ones that do', async () => {
    const client = connect({ warmUp: false })
    await client.request({ type: 'startRun', runId: 'a', config: smallConfig({ optimizer: 'SGD', hyper: { lr: 0.1, momentum: 0.9 } }), paused: true })
    const noParam = await replyError(client.request({ type: 'inspectState', runId: 'a', parameter: '1.weight', view: 'param' }))
    expect(noParam).toEqual({ name: 'KeyError', message: 'There is no parameter "1.weight" (the parameters are 0.weight, 0.bias, 2.weight, 2.bias)' })
    const noView = await replyError(client.request({ type: 'inspectState', runId: 'a', parameter: '0.bias', view: 'exp_avg' }))
    expect(noView).toEqual({ name: 'KeyError', message: '0.bias has no view "exp_avg" now (its views are param)' })
    await client.request({ type: 'stepRun', runId: 'a' })
    const sgd = await client.request({ type: 'inspectState', runId: 'a', parameter: '0.bias', view: 'momentum_buffer' })
    expect(sgd.views).toEqual(['param', 'grad', 'delta', 'effective_lr', 'momentum_buffer'])
    expect(await replyError(client.request({ type: 'inspectState', runId: 'zz', parameter: '0.bias', view: 'param' }))).toMatchObject({
      message: 'There is no run "zz"'
    })
  })

  it.each([
    [{ runId: 'a', view: 'param' }, /^inspectState: parameter: is missing$/],
    [{ runId: 'a', parameter: '', view: 'param' }, /^inspectState: parameter: must be a name of 1 to 100 characters, got ""$/],
    [{ runId: 'a', parameter: '0.weight', view: 7 }, /^inspectState: view: must be a name of 1 to 100 characters, got 7$/],
    [{ runId: 'a', parameter: 'x'.repeat(101), view: 'param' }, /^inspectState: parameter: must be a name/],
    [{ runId: 'a', parameter: '0.weight', view: 'param', index: 0 }, /^inspectState: index: is not part of this command$/]
  ])('refuses a malformed inspectState %j', async (payload, pattern) => {
    const client = connect({ warmUp: false })
    const error = await replyError(client.request({ type: 'inspectState', ...payload } as never))
    expect(error.name).toBe('ProtocolError')
    expect(error.message).toMatch(pattern)
  })
})

describe('traceUpdate', () => {
  it('takes exactly the step stepRun takes and returns the algorithm box of that weight', async () => {
    const client = connect({ warmUp: false })
    const config = smallConfig()
    await client.request({ type: 'startRun', runId: 't', config, paused: true })
    await client.request({ type: 'stepRun', runId: 't' })
    const trace = await client.request({ type: 'traceUpdate', runId: 't', parameter: '0.weight', index: 7 })
    expect(trace.step).toBe(2)
    expect(trace.position).toEqual([1, 2])
    expect(trace.optimizer).toBe('Adam')
    expect(trace.t).toBe(2)
    expect(trace.lines.map((line) => line.symbol)).toEqual(['t', 'g_t', 'm_t', 'v_t', 'm̂_t', 'v̂_t', 'θ_t'])
    expect(trace.matches).toBe(true)

    // The same losses as the session stepped directly, sent as progress like stepRun's.
    const direct = new TrainingSession(config)
    const expected = [direct.step(), direct.step()]
    expect(trace.loss).toBe(expected[1])
    expect(client.losses('t')).toEqual(expected)

    // θ_t of the box is what the run's weights now hold, and m_t, v_t its state.
    const file = await client.request({ type: 'exportWeights', runId: 't' })
    expect(file.meta.steps).toBe(2)
    expect(trace.param).toBe(file.state_dict['0.weight'].data[7])
    expect(trace.param).not.toBe(trace.before.param)
    expect(trace.state.exp_avg).toBe(data(file.optimizer!.state_dict.state[0].exp_avg)[7])
    expect(trace.lines.find((line) => line.symbol === 'v_t')!.value).toBe(data(file.optimizer!.state_dict.state[0].exp_avg_sq)[7])
    // And the box started from the θ of the first step.
    expect(trace.before.param).not.toBe(trace.engine.param)
  })

  it('checks the parameter and index before stepping, and steps only a paused run', async () => {
    const client = connect({ warmUp: false })
    await client.request({ type: 'startRun', runId: 't', config: smallConfig({ steps: 2 }), paused: true })
    const outOfRange = await replyError(client.request({ type: 'traceUpdate', runId: 't', parameter: '2.bias', index: 3 }))
    expect(outOfRange).toEqual({ name: 'IndexError', message: 'index 3 is out of bounds for 2.bias with 3 elements' })
    const unknown = await replyError(client.request({ type: 'traceUpdate', runId: 't', parameter: 'weight', index: 0 }))
    expect(unknown.name).toBe('KeyError')
    expect((await client.request({ type: 'inspectRun', runId: 't' })).step).toBe(0)

    const last = await client.request({ type: 'traceUpdate', runId: 't', parameter: '2.bias', index: 2 })
    expect(last.position).toEqual([2])
    expect(last.matches).toBe(true)
    await client.request({ type: 'traceUpdate', runId: 't', parameter: '2.bias', index: 2 })
    await client.waitForState('t', 'finished')
    expect((await replyError(client.request({ type: 'traceUpdate', runId: 't', parameter: '2.bias', index: 0 }))).message).toMatch(/already finished/)

    await client.request({ type: 'startRun', runId: 'r', config: smallConfig({ steps: 1_000_000 }) })
    expect((await replyError(client.request({ type: 'traceUpdate', runId: 'r', parameter: '0.bias', index: 0 }))).message).toMatch(
      /is running; pause it before stepping/
    )
    await client.request({ type: 'stopRun', runId: 'r' })
  })

  it.each(['SGD', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam', 'AdamW'] as const)(
    '%s: the box equals the engine’s step for a real training step',
    async (optimizer) => {
      const client = connect({ warmUp: false })
      const hyper = optimizer === 'SGD' ? { lr: 0.05, momentum: 0.9, nesterov: true } : { lr: 0.01 }
      await client.request({ type: 'startRun', runId: 'o', config: smallConfig({ optimizer, hyper }), paused: true })
      for (let i = 0; i < 3; i++) {
        const trace = await client.request({ type: 'traceUpdate', runId: 'o', parameter: '0.weight', index: 4 + i })
        expect(trace.optimizer).toBe(optimizer)
        expect(trace.matches).toBe(true)
        expect(trace.lines.at(-1)!.symbol).toBe('θ_t')
      }
    }
  )

  it('continues an imported NAdam run (float64, mu_product loaded as float64) with the box still exact', async () => {
    const client = connect({ warmUp: false })
    const config = smallConfig({ optimizer: 'NAdam', hyper: { lr: 0.01 }, dtype: 'float64', steps: 4 })
    await client.request({ type: 'startRun', runId: 'orig', config })
    await client.waitForState('orig', 'finished')
    const text = JSON.stringify(await client.request({ type: 'exportWeights', runId: 'orig' }))
    const imported = await client.request({ type: 'importWeights', runId: 'imp', config, text })
    expect(imported.resumed).toBe(true)
    const trace = await client.request({ type: 'traceUpdate', runId: 'imp', parameter: '2.weight', index: 5 })
    expect(trace.t).toBe(5)
    expect(trace.matches).toBe(true)
    const view = await client.request({ type: 'inspectState', runId: 'imp', parameter: '2.weight', view: 'exp_avg' })
    expect(view.values).toBeInstanceOf(Float64Array)
    expect(view.scalars.mu_product).toBe(trace.state.mu_product)
    expect(view.values[5]).toBe(trace.state.exp_avg)
  })

  it('uses the lr step() used, not the one a scheduler set right after', async () => {
    const client = connect({ warmUp: false })
    const config = smallConfig({ scheduler: { kind: 'ExponentialLR', options: { gamma: 0.5 } } })
    await client.request({ type: 'startRun', runId: 's', config, paused: true })
    for (const lr of [0.01, 0.005, 0.0025]) {
      const trace = await client.request({ type: 'traceUpdate', runId: 's', parameter: '0.bias', index: 1 })
      expect(trace.inputs.find((input) => input.name === 'lr')!.value).toBe(lr)
      expect(trace.matches).toBe(true)
    }
    expect((await client.request({ type: 'inspectRun', runId: 's' })).paramGroups[0].lr).toBe(0.00125)
  })

  it.each([
    [{ runId: 't', parameter: '0.weight' }, /^traceUpdate: index: is missing$/],
    [{ runId: 't', parameter: '0.weight', index: -1 }, /^traceUpdate: index: must be an integer from 0 to \d+, got -1$/],
    [{ runId: 't', parameter: '0.weight', index: 1.5 }, /^traceUpdate: index: must be an integer from 0 to \d+, got 1.5$/],
    [{ runId: 't', parameter: '0.weight', index: '3' }, /^traceUpdate: index: must be an integer from 0 to \d+, got "3"$/],
    [{ runId: 't', parameter: ['0.weight'], index: 0 }, /^traceUpdate: parameter: must be a name of 1 to 100 characters, got a list$/],
    [{ parameter: '0.weight', index: 0 }, /^traceUpdate: runId: is missing$/]
  ])('refuses a malformed traceUpdate %j', async (payload, pattern) => {
    const client = connect({ warmUp: false })
    const error = await replyError(client.request({ type: 'traceUpdate', ...payload } as never))
    expect(error.name).toBe('ProtocolError')
    expect(error.message).toMatch(pattern)
  })
})
