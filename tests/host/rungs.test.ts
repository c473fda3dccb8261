/**
 * The five rungs in the host: each rung's stream is exactly the rung stepped directly
 * (engine/lesson/rungs.ts), the final difference is the engine's `largestDifference` of those
 * curves, the host stays responsive while the lesson-sized rungs train, `stopRungs` ends them with
 * the difference over the steps taken, and bad payloads are refused naming the field.
 */
import { describe, expect, it } from 'vitest'
import { RUNGS, RUNG_DEFAULTS, largestDifference, runRung, type RungConfig } from '../../src-main/engine/lesson/rungs'
import type { EngineEvent } from '../../src-main/shared/protocol'
import { EngineClient, ReplyError, smallConfig, type ProgressEvent } from './engine-client'
import { inProcessHosts } from './in-process-host'

const { connect } = inProcessHosts()

type RungsStateEvent = Extract<EngineEvent, { type: 'rungsState' }>

const SMALL: RungConfig = { seed: 7, n: 16, dIn: 20, hidden: 12, dOut: 3, lr: 2e-3, steps: 60 }

function rungsStates(client: EngineClient, rungsId: string): RungsStateEvent[] {
  return client.events.filter((e): e is RungsStateEvent => e.type === 'rungsState' && e.rungsId === rungsId)
}

function waitForEnd(client: EngineClient, rungsId: string): Promise<RungsStateEvent> {
  const seen = rungsStates(client, rungsId).find((e) => e.status !== 'running')
  if (seen) return Promise.resolve(seen)
  return client.waitFor<RungsStateEvent>((e) => e.type === 'rungsState' && e.rungsId === rungsId && e.status !== 'running', 60_000, 'the rungs to end')
}

async function expectReplyError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ReplyError)
  expect((error as ReplyError).error.message).toMatch(pattern)
}

describe('startRungs', () => {
  it("streams each rung's every loss, equal to the rung stepped directly, then the largest difference", async () => {
    const client = connect({ warmUp: false })
    const reply = await client.request({ type: 'startRungs', rungsId: 'r', config: SMALL })
    expect(reply.runIds).toEqual(['r:rung-1', 'r:rung-2', 'r:rung-3', 'r:rung-4', 'r:rung-5'])
    const end = await waitForEnd(client, 'r')
    expect(end).toMatchObject({ status: 'finished', step: 60, totalSteps: 60 })

    const curves = RUNGS.map((info) => ({ info, losses: runRung(info.index, SMALL) }))
    for (const [i, runId] of reply.runIds.entries()) expect(client.losses(runId)).toEqual(curves[i].losses)
    const want = largestDifference(curves)
    expect(end.difference).toEqual({ ...want, steps: 60 })
    // Float32 rounding, nothing more; and the curves are not identical, so the sentence has a number.
    expect(end.difference!.relative).toBeGreaterThan(0)
    expect(end.difference!.relative).toBeLessThanOrEqual(1e-6)
    // All losses went out before the final state.
    const lastProgress = client.events.findLastIndex((e) => e.type === 'progress' && e.runId.startsWith('r:'))
    expect(lastProgress).toBeLessThan(client.events.indexOf(end))
  })

  it('keeps the rungs in lockstep and the host responsive while the lesson-sized rungs train; stopRungs ends them', async () => {
    const client = connect({ warmUp: false })
    const config: RungConfig = { ...RUNG_DEFAULTS, steps: 100_000 }
    await client.request({ type: 'startRungs', rungsId: 'big', config })
    await client.waitFor<ProgressEvent>((e) => e.type === 'progress' && e.runId === 'big:rung-5' && e.fromStep + e.losses.length >= 3, 60_000)
    // Another run starts and answers while the rungs train.
    await client.request({ type: 'startRun', runId: 'other', config: smallConfig({ steps: 5 }) })
    await client.waitForState('other', 'finished')
    expect((await client.request({ type: 'inspectRun', runId: 'other' })).step).toBe(5)

    const { step } = await client.request({ type: 'stopRungs', rungsId: 'big' })
    const end = await waitForEnd(client, 'big')
    expect(end.status).toBe('stopped')
    expect(end.step).toBe(step)
    expect(step).toBeGreaterThanOrEqual(3)
    const lengths = [1, 2, 3, 4, 5].map((i) => client.losses(`big:rung-${i}`).length)
    // Lockstep: no rung is more than one step ahead of another.
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1)
    expect(end.difference!.steps).toBe(step)
    expect(end.difference!.relative).toBeLessThanOrEqual(1e-6)
    // Forgotten once over.
    await expectReplyError(client.request({ type: 'stopRungs', rungsId: 'big' }), /There are no rungs "big" training/)
  }, 60_000)

  it('fails when a rung diverges, naming the rung and step, with the difference over the steps before', async () => {
    const client = connect({ warmUp: false })
    await client.request({ type: 'startRungs', rungsId: 'hot', config: { ...SMALL, lr: 10, steps: 200 } })
    const end = await waitForEnd(client, 'hot')
    expect(end.status).toBe('failed')
    expect(end.message).toMatch(/^The loss of rung 1 \(numpy\) became (NaN|Infinity|-Infinity) at step \d+/)
  })

  it('refuses bad payloads, naming the field, and keeps serving', async () => {
    const client = connect({ warmUp: false })
    const start = (payload: Record<string, unknown>) =>
      client.request({ type: 'startRungs', ...payload } as unknown as Parameters<EngineClient['request']>[0])
    await expectReplyError(start({ rungsId: 'x' }), /startRungs: config: is missing/)
    await expectReplyError(start({ rungsId: '', config: SMALL }), /rungsId: must be a string of 1 to 200 characters/)
    await expectReplyError(start({ rungsId: 'x', config: { ...SMALL, hidden: [12] } }), /config\.hidden: must be an integer from 1 to 1000000, got a list/)
    await expectReplyError(start({ rungsId: 'x', config: { ...SMALL, steps: 0 } }), /config\.steps: must be an integer from 1 to 100000, got 0/)
    await expectReplyError(start({ rungsId: 'x', config: { ...SMALL, steps: 100_001 } }), /config\.steps: must be an integer from 1 to 100000/)
    await expectReplyError(start({ rungsId: 'x', config: { ...SMALL, optimizer: 'Adam' } }), /config\.optimizer: is not a field of the rungs' configuration/)
    await expectReplyError(start({ rungsId: 'x', config: { ...SMALL, lr: '0.1' } }), /config\.lr: must be a number, got "0\.1"/)
    // The lr as torch.optim.SGD judges it.
    await expectReplyError(start({ rungsId: 'x', config: { ...SMALL, lr: -1 } }), /config\.lr: Invalid learning rate: -1/)
    await expectReplyError(start({ rungsId: 'x', config: { ...SMALL, lr: Number.NaN } }), /config\.lr: Invalid learning rate: nan/)
    await expectReplyError(start({ rungsId: 'x', config: { ...SMALL, n: 100_000, dIn: 10_000 } }), /config: the five rungs need about .* more than the 1\.0 GiB allowed/)
    await expectReplyError(start({ rungsId: 'x', config: SMALL, extra: 1 }), /extra: is not part of this command/)
    await expectReplyError(client.request({ type: 'stopRungs', rungsId: 'nobody' }), /There are no rungs "nobody" training/)

    await client.request({ type: 'startRungs', rungsId: 'dup', config: { ...SMALL, steps: 100_000 } })
    await expectReplyError(client.request({ type: 'startRungs', rungsId: 'dup', config: SMALL }), /Rungs "dup" already exist/)
    await client.request({ type: 'stopRungs', rungsId: 'dup' })
    // Nothing refused was started.
    expect(client.events.some((e) => e.type === 'rungsState' && e.rungsId === 'x')).toBe(false)
    expect((await client.request({ type: 'ping' })).kernels).toBe('typescript')
  })
})
