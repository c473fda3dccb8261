/**
 * A small learning-rate chart: the lr of each param group per step, for the scheduler's preview and
 * under the loss chart, where it shares the loss chart's step axis (same range, same plot-area left
 * edge). Like the loss chart: no animation, pre-parsed {x, y} points, min–max decimated, updated in place.
 */
import { Chart, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip, type ChartDataset } from 'chart.js'
import { formatPythonFloat } from '../../../src-main/shared/python-format'
import { t } from '../i18n/index.svelte'
import { MinMaxDecimator, type Point } from './decimate'
import type { Series } from './lr-schedule'
import { stepChartOptions, themeStepAxes } from './chart-common'

/** One line: a run's (or the preview's) param group. */
export interface LrTrace {
  key: string
  label: string
  colour: string
  /** Param group g > 0 is dashed, so groups of one run stay apart without new colours. */
  group: number
  values: Series
}

/** The step axis to share with the loss chart. */
export interface StepAxis {
  logX: boolean
  min: number | undefined
  max: number | undefined
}

// The preview may be drawn before the loss chart module registers these; registering twice is harmless.
Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip)

const DASHES = [[], [6, 3], [2, 3], [8, 3, 2, 3]]

type LrDataset = ChartDataset<'line', Point[]> & { key?: string }

export class LrChart {
  readonly #chart: Chart<'line', Point[]>
  readonly #points = new Map<string, { source: Series; decimator: MinMaxDecimator }>()
  /** The y axis's own width at the last layout, and the least width it is given (to line up with the loss chart). */
  naturalYWidth = 0
  minYWidth = 0

  constructor(canvas: HTMLCanvasElement) {
    this.#chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...stepChartOptions(this, { yTitle: 'lr', hoverRadius: 3, yTicks: { maxTicksLimit: 4, callback: (value) => formatPythonFloat(Number(value)) } }),
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: () => '',
              label: (item) => {
                const point = item.raw as Point
                return `${item.dataset.label}: ${t('lr.tooltip', { step: point.x, lr: formatPythonFloat(point.y) })}`
              }
            }
          }
        }
      }
    })
    this.applyTheme()
  }

  /** Draws `traces`; with `axis`, over the loss chart's step range. */
  sync(traces: readonly LrTrace[], axis?: StepAxis): void {
    const kept = new Set(traces.map((trace) => trace.key))
    for (const key of [...this.#points.keys()]) if (!kept.has(key)) this.#points.delete(key)
    this.#chart.data.datasets = traces.map((trace) => this.#dataset(trace, axis?.logX ?? false))
    const x = this.#chart.options.scales!.x!
    x.type = axis?.logX ? 'logarithmic' : 'linear'
    x.min = axis?.min
    x.max = axis?.max
    this.#chart.update('none')
    this.#chart.canvas.dataset.points = String(this.pointCount)
  }

  get pointCount(): number {
    return this.#chart.data.datasets.reduce((sum, dataset) => sum + dataset.data.length, 0)
  }

  /** Lays the chart out again (after `minYWidth` changed). */
  relayout(): void {
    this.#chart.update('none')
  }

  applyTheme(): void {
    const options = this.#chart.options
    ;(options.scales!.x as { title: { text: string } }).title.text = t('chart.xAxis')
    themeStepAxes(options)
    this.#chart.update('none')
  }

  destroy(): void {
    this.#chart.destroy()
  }

  #dataset(trace: LrTrace, logX: boolean): LrDataset {
    let entry = this.#points.get(trace.key)
    // A new source (a recomputed preview) starts over; a growing run's series is appended to.
    if (!entry || entry.source !== trace.values) {
      entry = { source: trace.values, decimator: new MinMaxDecimator() }
      this.#points.set(trace.key, entry)
    }
    entry.decimator.append(trace.values, trace.values.length)
    const points = entry.decimator.points()
    const existing = this.#chart.data.datasets.find((d) => (d as LrDataset).key === trace.key) as LrDataset | undefined
    const dataset: LrDataset = existing ?? ({ key: trace.key } as LrDataset)
    return Object.assign(dataset, {
      label: trace.label,
      data: logX ? points.filter((p) => p.x > 0) : points,
      borderColor: trace.colour,
      backgroundColor: trace.colour,
      borderDash: DASHES[trace.group % DASHES.length]
    })
  }
}
