/**
 * What the screen-reader live region says about the current run. The status line changes with every
 * batch of steps, far too often to be read aloud, so it is not a live region itself; this says a
 * few sentences per run instead: the start, each quarter of the way, and where the run ended or paused.
 * Each sentence depends only on its milestone, so the text (and the announcement) changes only there.
 */
import type { MessageKey } from '../i18n/en'

export interface AnnouncedRun {
  phase: string
  /** Updates applied. */
  step: number
  totalSteps: number
  optimizer: string
  /** Loss measured at step k (k < the number of losses recorded). */
  lossAt(k: number): number | undefined
  /** The newest loss (the final one once reported). */
  latestLoss: number | null
}

export interface Announcement {
  key: MessageKey
  values: Record<string, string | number>
}

/** Quarters: the lesson's 500 steps take a few seconds, and a 100,000-step run still says something. */
const MILESTONES = 4

export function announcementFor(run: AnnouncedRun | null, format: (x: number) => string): Announcement | null {
  if (!run) return null
  const { step, totalSteps: total } = run
  const loss = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : format(x))
  switch (run.phase) {
    case 'starting':
    case 'running': {
      // The last quarter is announced by 'finished'; until then the run stays at 75 %.
      const reached = total > 0 ? Math.min(MILESTONES - 1, Math.floor((step / total) * MILESTONES)) : 0
      if (reached <= 0) return { key: 'announce.started', values: { optimizer: run.optimizer, total } }
      const at = Math.ceil((reached / MILESTONES) * total)
      return {
        key: 'announce.progress',
        values: { percent: (reached * 100) / MILESTONES, step: at, total, loss: loss(run.lossAt(at - 1)) }
      }
    }
    case 'paused':
      return { key: 'announce.paused', values: { step, total, loss: loss(run.latestLoss) } }
    case 'finished':
      return { key: 'announce.finished', values: { step, total, loss: loss(run.latestLoss) } }
    case 'stopped':
      return { key: 'announce.stopped', values: { step, total, loss: loss(run.latestLoss) } }
    case 'failed':
      return { key: 'announce.failed', values: { step } }
    case 'lost':
      return { key: 'announce.lost', values: { step } }
    default:
      return null
  }
}
