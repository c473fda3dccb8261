import type { ChartView as View } from '../lib/loss-chart'

/** How the loss chart draws its curves (the y axis's log scale is kept with the lab's settings). */
export class ChartView implements View {
  /** Log step axis: with the log y axis, a log-log plot. */
  logX = $state(false)
  /** EMA weight, 0 (raw) to 0.99. */
  smoothing = $state(0)
}
