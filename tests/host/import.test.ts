/**
 * `importWeights` through the host: a good file becomes a paused run that continues training; a bad
 * one is answered with the importer's message and leaves the host as it was.
 */
import { describe, expect, it } from 'vitest'
import { TrainingSession } from '../../src-main/engine/train/session'
import { ReplyError, smallConfig } from './engine-client'
import { inProcessHosts } from './in-process-host'

const { connect } = inProcessHosts()

describe('engine host: importWeights', () => {
  it('builds a paused run from the file that continues exactly where the export left off', async () => {
    const client = connect({ warmUp: false })
    const trainedConfig = smallConfig({ optimizer: 'RMSprop', hyper: { lr: 1e-3, momentum: 0.5, centered: true }, seed: 11 })
    await client.request({ type: 'startRun', runId: 'orig', config: { ...trainedConfig, steps: 30 } })
    await client.waitForState('orig', 'finished')
    const text = JSON.stringify(await client.request({ type: 'exportWeights', runId: 'orig' }))

    const form = smallConfig({ optimizer: 'SGD', hyper: { lr: 0.1 }, steps: 10, seed: 0 })
    const imported = await client.request({ type: 'importWeights', runId: 'imp', config: form, text })
    expect(imported).toMatchObject({ step: 0, totalSteps: 10, resumed: true, fileSteps: 30 })
    expect(imported.config).toMatchObject({ optimizer: 'RMSprop', seed: 11, hyper: { lr: 1e-3, momentum: 0.5, centered: true }, steps: 10 })
    expect(imported.identity.every((row) => row.sameObject)).toBe(true)
    await client.waitForState('imp', 'paused')

    const reference = new TrainingSession({ ...trainedConfig, steps: 40 })
    for (let t = 0; t < 30; t++) reference.step()
    const expected = Array.from({ length: 10 }, () => reference.step())
    await client.request({ type: 'resumeRun', runId: 'imp' })
    await client.waitForState('imp', 'finished')
    expect(client.losses('imp')).toEqual(expected)
  })

  it('answers a bad file with the reason and changes nothing', async () => {
    const client = connect({ warmUp: false })
    const form = smallConfig()
    const bad = [
      ['not json', /Cannot import this weights file: it is not JSON/],
      ['{"format":"optim-lab/state-dict","version":7}', /version: must be 1, got 7/],
      ['[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', /nests more than 12 levels/]
    ] as const
    for (const [text, message] of bad) {
      const error = await client.request({ type: 'importWeights', runId: 'x', config: form, text }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ReplyError)
      expect((error as ReplyError).error).toMatchObject({ name: 'WeightsImportError', message: expect.stringMatching(message) })
    }
    // No run was created: the id is free and unknown to every other command.
    await expect(client.request({ type: 'inspectRun', runId: 'x' })).rejects.toThrow(/There is no run "x"/)
    expect(client.events.filter((e) => e.type === 'runState')).toHaveLength(0)
    // A text that is not a string is a protocol error, answered the same way.
    client.send({ type: 'importWeights', id: 99, runId: 'x', config: form, text: { format: 'optim-lab/state-dict' } })
    const reply = await client.waitFor((e) => e.type === 'reply' && e.id === 99)
    expect(reply).toMatchObject({ ok: false, error: { name: 'ProtocolError', message: expect.stringMatching(/^importWeights: text: must be the text of a weights file/) } })
  })
})
