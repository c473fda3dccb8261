/**
 * The race: lanes built once from lane 0's seed and cloned share θ₀ (one fingerprint, equal to a
 * TrainingSession's own θ₀ hash), step in lockstep, and each lane's curve is exactly the curve of a
 * separate run of its configuration with the same seed.
 */
import { describe, expect, it } from 'vitest'
import { TrainingSession } from '../../src-main/engine/train/session'
import { float32Sha256 } from '../../src-main/engine/numeric/sha256'
import type { LabConfig } from '../../src-main/shared/config'
import { ReplyError, smallConfig } from './engine-client'
import { inProcessHosts } from './in-process-host'

const { connect } = inProcessHosts()

const lanes: LabConfig[] = [
  smallConfig({ optimizer: 'SGD', hyper: { lr: 1e-3, momentum: 0.9 }, steps: 40 }),
  smallConfig({ optimizer: 'RMSprop', hyper: { lr: 1e-3 }, steps: 40 }),
  smallConfig({ optimizer: 'Adam', hyper: { lr: 1e-2 }, steps: 40 })
]

describe('startRace', () => {
  it('three lanes: three identical θ₀ fingerprints, each the sha256 prefix of the initial float32 parameters', async () => {
    const client = connect({ warmUp: false })
    const snapshots = await client.request({ type: 'startRace', lanes: lanes.map((config, i) => ({ runId: `lane${i}`, config })) })
    expect(snapshots).toHaveLength(3)
    const session = new TrainingSession(lanes[0])
    const values = [...session.model.namedParameters()].flatMap(([, p]) => Array.from(p.data))
    const want = float32Sha256(values).slice(0, 8)
    expect(want).toMatch(/^[0-9a-f]{8}$/)
    expect(snapshots.map((s) => s.fingerprint)).toEqual([want, want, want])
    expect(session.parameterFingerprint()).toBe(want)
  })

  it("each lane's curve equals a separate run of its configuration with the same seed", async () => {
    const client = connect({ warmUp: false })
    await client.request({ type: 'startRace', lanes: lanes.map((config, i) => ({ runId: `lane${i}`, config })) })
    for (const [i, config] of lanes.entries()) {
      await client.waitForState(`lane${i}`, 'finished')
      const session = new TrainingSession(config)
      const direct = Array.from({ length: config.steps }, () => session.step())
      expect(client.losses(`lane${i}`)).toEqual(direct)
    }
  })

  it('refuses lanes that do not share the model, the data and the steps', async () => {
    const client = connect({ warmUp: false })
    const error = await client
      .request({ type: 'startRace', lanes: [{ runId: 'a', config: lanes[0] }, { runId: 'b', config: { ...lanes[1], seed: 1 } }] })
      .then(
        () => null,
        (e: unknown) => e
      )
    expect(error).toBeInstanceOf(ReplyError)
    expect((error as ReplyError).error.message).toMatch(/lanes\[1\]\.config\.seed: must equal lane 0's/)
  })
})
