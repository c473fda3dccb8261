/** The live region's sentences: a handful per run, each fixed until the next milestone. */
import { describe, expect, it } from 'vitest'
import { announcementFor, type AnnouncedRun } from '../../src-renderer/src/lib/announce'

const losses = Array.from({ length: 500 }, (_, k) => 1000 / (k + 1))
const run = (phase: string, step: number, extra: Partial<AnnouncedRun> = {}): AnnouncedRun => ({
  phase,
  step,
  totalSteps: 500,
  optimizer: 'Adam',
  lossAt: (k) => (k < step ? losses[k] : undefined),
  latestLoss: step > 0 ? losses[step - 1] : null,
  ...extra
})
const say = (r: AnnouncedRun | null) => announcementFor(r, String)

describe('announcementFor', () => {
  it('says nothing without a run', () => {
    expect(say(null)).toBeNull()
  })

  it('changes at most five times over a 500-step run: start, 25, 50, 75 %, finished', () => {
    const texts = new Set<string>()
    for (let step = 0; step <= 500; step++) texts.add(JSON.stringify(say(run('running', step))))
    texts.add(JSON.stringify(say(run('finished', 500))))
    expect(texts.size).toBe(5)
  })

  it('names the milestone step and its loss, not the latest ones', () => {
    expect(say(run('running', 130))).toEqual({
      key: 'announce.progress',
      values: { percent: 25, step: 125, total: 500, loss: String(losses[124]) }
    })
    expect(say(run('running', 499))).toMatchObject({ values: { percent: 75, step: 375 } })
    expect(say(run('running', 3))).toEqual({ key: 'announce.started', values: { optimizer: 'Adam', total: 500 } })
  })

  it('says where a run paused, stopped, finished, failed or was lost', () => {
    expect(say(run('paused', 7))).toEqual({ key: 'announce.paused', values: { step: 7, total: 500, loss: String(losses[6]) } })
    expect(say(run('stopped', 40))?.key).toBe('announce.stopped')
    expect(say(run('finished', 500, { latestLoss: 0.5 }))).toEqual({
      key: 'announce.finished',
      values: { step: 500, total: 500, loss: '0.5' }
    })
    expect(say(run('failed', 12))).toEqual({ key: 'announce.failed', values: { step: 12 } })
    expect(say(run('lost', 12))?.key).toBe('announce.lost')
    expect(say(run('paused', 0, { latestLoss: null }))?.values.loss).toBe('—')
  })
})
