/**
 * Property-based tests of the engine protocol: whatever arrives on the port, the host answers with
 * a clear error or does what was asked, and keeps serving. Nothing throws, nothing hangs.
 */
import fc from 'fast-check'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { parseCommand } from '../../src-main/host/commands'
import { serve } from '../../src-main/host/serve'
import { LESSON_CONFIG } from '../../src-main/shared/config'
import type { EngineEvent } from '../../src-main/shared/protocol'
import { EngineClient } from '../host/engine-client'
import { FUZZ, mutatedConfig, nastyValue, smallValidConfig } from './arbitraries'

const COMMAND_TYPES = ['startRun', 'importWeights', 'pauseRun', 'resumeRun', 'stopRun', 'stepRun', 'inspectRun', 'inspectState', 'traceUpdate', 'exportWeights', 'disposeRun', 'ping', 'startRungs', 'stopRungs']

/** The five rungs' configuration, valid and small, or with one field made nasty. */
const smallRungConfig = fc.record({
  seed: fc.integer({ min: 0, max: 3 }),
  n: fc.integer({ min: 1, max: 4 }),
  dIn: fc.integer({ min: 1, max: 4 }),
  hidden: fc.integer({ min: 1, max: 4 }),
  dOut: fc.integer({ min: 1, max: 3 }),
  lr: fc.constantFrom(1e-3, 0, -1, Number.NaN),
  steps: fc.integer({ min: 1, max: 20 })
})
const rungConfig = fc.oneof(
  smallRungConfig,
  fc.tuple(smallRungConfig, fc.constantFrom('seed', 'n', 'dIn', 'hidden', 'dOut', 'lr', 'steps', 'extra'), nastyValue).map(([c, key, value]) => ({ ...c, [key]: value }))
)

/** Commands that are nearly right: a real type and id, other fields anything. */
const nearCommand = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...COMMAND_TYPES), nastyValue),
    id: fc.oneof(fc.integer(), nastyValue),
    runId: fc.oneof(fc.string({ maxLength: 5 }), nastyValue),
    config: fc.oneof(mutatedConfig, smallValidConfig, rungConfig, nastyValue),
    rungsId: fc.oneof(fc.string({ maxLength: 5 }), nastyValue),
    paused: fc.oneof(fc.boolean(), nastyValue),
    text: fc.oneof(fc.string({ maxLength: 50 }), fc.json(), nastyValue),
    parameter: fc.oneof(fc.constantFrom('0.weight', '0.bias', '9.weight'), fc.string({ maxLength: 5 }), nastyValue),
    view: fc.oneof(fc.constantFrom('param', 'grad', 'delta', 'effective_lr', 'exp_avg'), nastyValue),
    index: fc.oneof(fc.integer({ min: -2, max: 5000 }), nastyValue),
    extra: nastyValue
  },
  { requiredKeys: [] }
)

const open: MessagePort[] = []
afterEach(() => {
  for (const port of open.splice(0)) port.close()
})

describe('fuzz: parseCommand', () => {
  it('never throws; an error always says what is wrong, and names the command or field', () => {
    fc.assert(
      fc.property(fc.oneof(nearCommand, fc.anything()), (message) => {
        const parsed = parseCommand(message)
        if (parsed.ok) {
          expect(COMMAND_TYPES).toContain(parsed.command.type)
          expect(Number.isSafeInteger(parsed.command.id)).toBe(true)
        } else {
          expect(parsed.message).toMatch(/\S/)
          expect(parsed.message).not.toMatch(/\n\s+at /) // never a stack trace
          expect(parsed.message.length).toBeLessThan(600)
        }
      }),
      FUZZ
    )
  })

  it('every near-miss configuration is refused with its path, or accepted as a whole', () => {
    fc.assert(
      fc.property(mutatedConfig, (config) => {
        const parsed = parseCommand({ type: 'startRun', id: 1, runId: 'r', config })
        if (!parsed.ok) expect(parsed.message).toMatch(/^startRun: config(\.[A-Za-z_$][\w$]*|\[\d+\]|\["[^"]*"\])*: /)
      }),
      FUZZ
    )
  })
})

describe('fuzz: the host under a stream of junk', () => {
  it('answers every message that has an id, and still trains afterwards', async () => {
    const { port1, port2 } = new MessageChannel()
    open.push(port1, port2)
    const server = serve({ postMessage: (m) => port1.postMessage(m), onMessage: (h) => void port1.on('message', h) }, { warmUp: false })
    const client = new EngineClient((message) => port2.postMessage(message))
    port2.on('message', (event: EngineEvent) => client.receive(event))
    try {
      const messages = fc.sample(fc.oneof(nearCommand, fc.anything()), { numRuns: 400, seed: 42 })
      let ids = 100_000
      const expected: number[] = []
      for (const message of messages) {
        // Keep structured-clone-able messages only (functions cannot cross a port) and give each a fresh id.
        let cloneable: unknown
        try {
          cloneable = structuredClone(message)
        } catch {
          continue
        }
        if (typeof cloneable === 'object' && cloneable !== null && !Array.isArray(cloneable) && 'id' in cloneable) {
          ;(cloneable as { id: number }).id = ++ids
          expected.push(ids)
        }
        client.send(cloneable)
      }
      await client.request({ type: 'ping' })
      const replied = new Set(client.events.flatMap((e) => (e.type === 'reply' ? [e.id] : [])))
      for (const id of expected) expect(replied.has(id)).toBe(true)
      for (const event of client.events) {
        if (event.type === 'reply' && !event.ok) expect(event.error.message).toMatch(/\S/)
        if (event.type === 'hostError') expect(event.error.message).toMatch(/\S/)
      }
      // Stop whatever junk happened to start, then train a real run to the end.
      await client.request({ type: 'startRun', runId: 'after-fuzz', config: { ...LESSON_CONFIG, n: 4, dIn: 3, hidden: [2], dOut: 2, steps: 20 } })
      const finished = await client.waitForState('after-fuzz', 'finished')
      expect(finished.step).toBe(20)
    } finally {
      server.dispose()
    }
  })
})
