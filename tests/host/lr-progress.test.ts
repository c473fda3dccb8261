/**
 * `progress` carries the lr each update used, per param group (`lrs[g][i]`), batched with the
 * losses: what the renderer draws under the loss chart.
 */
import { describe, expect, it } from 'vitest'
import { previewLrs } from '../../src-main/engine/train/optimizer-setup'
import { EngineClient, smallConfig } from './engine-client'
import { inProcessHosts } from './in-process-host'

const { connect } = inProcessHosts()

/** Every group's lrs received for `runId`, batches joined; checks each batch's lists match its losses. */
function receivedLrs(client: EngineClient, runId: string): number[][] {
  const groups: number[][] = []
  for (const batch of client.progress(runId)) {
    expect(batch.lrs).toBeDefined()
    for (const [g, lrs] of batch.lrs!.entries()) {
      expect(lrs).toHaveLength(batch.losses.length)
      ;(groups[g] ??= []).push(...lrs)
    }
  }
  return groups
}

describe('engine host: the lr of every update in progress events', () => {
  it('sends each group its StepLR staircase, across buffer growth, equal to the schedule and the exported lr', async () => {
    const client = connect()
    // More steps than the host's first 1024-step buffer, so its growth is covered too.
    const config = smallConfig({
      steps: 1500,
      paramGroups: 'per-layer',
      groupHyper: [{ lr: 0.02 }, {}],
      scheduler: { kind: 'StepLR', options: { step_size: 100, gamma: 0.5 } }
    })
    await client.request({ type: 'startRun', runId: 's', config })
    await client.waitForState('s', 'finished')
    const lrs = receivedLrs(client, 's')
    expect(lrs).toHaveLength(2)
    expect(client.losses('s')).toHaveLength(1500)
    const schedule = previewLrs(config)
    for (const g of [0, 1]) {
      expect(lrs[g]).toEqual(schedule.map((step) => step[g]))
      const base = g === 0 ? 0.02 : 0.01
      expect(lrs[g][0]).toBe(base)
      expect(lrs[g][99]).toBe(base)
      expect(lrs[g][100]).toBe(base * 0.5)
      expect(lrs[g][1499]).toBe(base * 0.5 ** 14)
    }
    const file = await client.request({ type: 'exportWeights', runId: 's' })
    const groups = file.optimizer!.state_dict.param_groups as unknown as { lr: number }[]
    // After the last update the scheduler has stepped once more: 1500 / 100 halvings.
    expect(groups.map((group) => group.lr)).toEqual([0.02 * 0.5 ** 15, 0.01 * 0.5 ** 15])
  })

  it('sends the constant lr without a scheduler, and the lr of a single Step', async () => {
    const client = connect()
    await client.request({ type: 'startRun', runId: 'p', config: smallConfig({ steps: 5 }), paused: true })
    await client.request({ type: 'stepRun', runId: 'p' })
    await client.request({ type: 'stepRun', runId: 'p' })
    expect(receivedLrs(client, 'p')).toEqual([[0.01, 0.01]])
  })

  it('follows ReduceLROnPlateau, which is fed the losses', async () => {
    const client = connect()
    const config = smallConfig({
      steps: 200,
      hyper: { lr: 0.3 },
      scheduler: { kind: 'ReduceLROnPlateau', options: { patience: 2, factor: 0.5 } }
    })
    await client.request({ type: 'startRun', runId: 'r', config })
    await client.waitForState('r', 'finished')
    const [lrs] = receivedLrs(client, 'r')
    const expected = previewLrs(config, config.steps, client.losses('r')).map((step) => step[0])
    expect(lrs).toEqual(expected)
    // The plateau was reached: the lr was cut at least once.
    expect(Math.min(...lrs)).toBeLessThan(0.3)
  })
})
