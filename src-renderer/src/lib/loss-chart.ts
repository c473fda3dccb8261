/**
 * The loss chart over Chart.js, following its performance guide: only the components a line chart
 * needs are registered, no animation, no parsing ({x, y} points), datasets updated in place and
 * redrawn with update('none'). Min–max decimation thins what is drawn once a run has more points
 * than the canvas has pixels; every loss stays in the data (and in the run's Float64Array).
 */
import {
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset
} from 'chart.js'
import { formatPythonFloat } from '../../../src-main/shared/python-format'
import { t } from '../i18n/index.svelte'
import { MinMaxDecimator, type Point } from './decimate'
import { runColour } from './palette'
import { Ema } from './smoothing'
import { cssVar, stepChartOptions, themeStepAxes } from './chart-common'

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Decimation)
// Readable from the back of a classroom.
Chart.defaults.font.size = 13

/** Log-axis labels at powers of ten only, written short (`1e-06`, `0.001`, `100`). */
function logTick(value: number | string): string {
  const v = Number(value)
  const exponent = Math.log10(v)
  if (Math.abs(exponent - Math.round(exponent)) > 1e-9) return ''
  return v >= 1 ? String(v) : formatPythonFloat(v)
}

type LossDataset = ChartDataset<'line', Point[]> & { key?: string; raw?: boolean }

/** How the curves are drawn, besides the y axis's scale. */
export interface ChartView {
  /** Logarithmic step axis too (log-log with a log y); step 0 has no place on it and is left out. */
  logX: boolean
  /** EMA weight in [0, 1): 0 draws the losses as they are; above, the raw trace stays, faint. */
  smoothing: number
}

export const PLAIN_VIEW: ChartView = { logX: false, smoothing: 0 }

/** A run's smoothed curve, decimated as it grows; rebuilt when the weight changes. */
interface SmoothedTrace {
  weight: number
  ema: Ema
  points: MinMaxDecimator
}

/** What the chart needs of a run; the renderer's Run satisfies it. */
export interface ChartRun {
  id: string
  index: number
  label: string
  losses: { length: number; at(step: number): number }
  /** The lr of each param group per step, when the run reports it (saved runs do not). */
  lrs?: readonly { length: number; at(step: number): number }[]
  /** Whether its lr is worth a chart: a scheduler, or several param groups. */
  scheduled?: boolean
}

export class LossChart {
  readonly #chart: Chart<'line', Point[]>
  /**
   * Each run's points, by run id: min–max decimated as losses arrive, so a run of millions of steps
   * holds a few thousand points here (every loss stays in the run's Float64Array).
   */
  readonly #points = new Map<string, MinMaxDecimator>()
  readonly #smoothed = new Map<string, SmoothedTrace>()
  /** The y axis's own width at the last layout, and the least it is given (the lr chart below lines up with it). */
  naturalYWidth = 0
  minYWidth = 0
  /** Set while `sync` updates the chart: its drawing is left to `draw()`, a task of its own. */
  #holdDrawing = false

  constructor(canvas: HTMLCanvasElement) {
    this.#chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      // Chart.js lets a plugin cancel the drawing at the end of an update; hovering, the theme and
      // a relayout still draw at once.
      plugins: [{ id: 'holdDrawing', beforeRender: () => !this.#holdDrawing }],
      options: {
        ...stepChartOptions(this, { yTitle: t('chart.yAxis'), hoverRadius: 4 }),
        plugins: {
          decimation: { enabled: true, algorithm: 'min-max' },
          legend: {
            position: 'bottom',
            labels: { boxWidth: 14, boxHeight: 2, filter: (item, data) => !(data.datasets[item.datasetIndex!] as LossDataset).raw }
          },
          tooltip: {
            callbacks: {
              title: () => '',
              label: (item) => {
                const point = item.raw as Point
                return `${item.dataset.label}: ${t('chart.tooltip', { step: point.x, loss: formatPythonFloat(point.y) })}`
              }
            }
          }
        }
      }
    })
    this.applyTheme()
  }

  /**
   * Bring the datasets in line with `runs`: new runs added, removed ones dropped, new points
   * appended, scales and layout updated, but not drawn: call `draw()` next, in a task of its own
   * (profiled while training: the update and the drawing were ≈ 2 ms each, more under load, and a
   * task of both went over a frame's budget more often than either).
   */
  sync(runs: readonly ChartRun[], logScale: boolean, view: ChartView = PLAIN_VIEW): void {
    const chart = this.#chart
    const kept = new Set(runs.map((run) => run.id))
    for (const id of [...this.#points.keys()]) if (!kept.has(id)) this.#points.delete(id)
    for (const id of [...this.#smoothed.keys()]) if (!kept.has(id) || view.smoothing === 0) this.#smoothed.delete(id)
    chart.data.datasets = runs.flatMap((run) => this.#datasets(run, view))
    setScale(chart.options.scales!.y!, logScale)
    setScale(chart.options.scales!.x!, view.logX)
    // Decimate only when a run has more points than there are pixels to draw them.
    chart.options.plugins!.decimation!.threshold = Math.max(1, Math.floor(chart.width))
    this.#holdDrawing = true
    try {
      chart.update('none')
    } finally {
      this.#holdDrawing = false
    }
    // What the chart holds stays bounded (decimated); shown on the canvas for tests and the curious.
    chart.canvas.dataset.points = String(this.pointCount)
  }

  /** Draws the chart as last updated by `sync`. */
  draw(): void {
    this.#chart.draw()
  }

  /** The chart as a PNG on the page's background colour (the canvas itself is transparent). */
  toPng(): Promise<Blob> {
    const source = this.#chart.canvas
    const image = document.createElement('canvas')
    image.width = source.width
    image.height = source.height
    const context = image.getContext('2d')!
    context.fillStyle = cssVar('--surface') || '#ffffff'
    context.fillRect(0, 0, image.width, image.height)
    context.drawImage(source, 0, 0)
    return new Promise((resolve, reject) =>
      image.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the chart could not be encoded as PNG'))), 'image/png')
    )
  }

  /**
   * Colours of axes, grid and legend from the page's CSS variables (light or dark), and the axis
   * titles in the current language; call again when either changes.
   */
  applyTheme(): void {
    const scales = this.#chart.options.scales!
    ;(scales.x as { title: { text: string } }).title.text = t('chart.xAxis')
    ;(scales.y as { title: { text: string } }).title.text = t('chart.yAxis')
    const options = this.#chart.options
    options.plugins!.legend!.labels!.color = themeStepAxes(options)
    this.#chart.update('none')
  }

  /** The step axis as last drawn, for the lr chart under this one. */
  stepAxis(): { logX: boolean; min: number | undefined; max: number | undefined } {
    const x = this.#chart.scales.x
    return { logX: x?.type === 'logarithmic', min: x?.min, max: x?.max }
  }

  /** Lays the chart out again (after `minYWidth` changed). */
  relayout(): void {
    this.#chart.update('none')
  }

  /** Points the chart holds over all runs (bounded by decimation). */
  get pointCount(): number {
    return this.#chart.data.datasets.reduce((sum, dataset) => sum + dataset.data.length, 0)
  }

  destroy(): void {
    this.#chart.destroy()
  }

  /** The run's curve; with smoothing, its smoothed curve in front of the raw one drawn faint. */
  #datasets(run: ChartRun, view: ChartView): LossDataset[] {
    let decimator = this.#points.get(run.id)
    if (!decimator) {
      decimator = new MinMaxDecimator()
      this.#points.set(run.id, decimator)
    }
    decimator.append(run.losses, run.losses.length)
    const colour = runColour(run.index)
    const visible = (points: Point[]): Point[] => (view.logX ? points.filter((p) => p.x > 0) : points)
    if (view.smoothing === 0) return [this.#reuse(run.id, { label: run.label, data: visible(decimator.points()), borderColor: colour })]

    let trace = this.#smoothed.get(run.id)
    if (!trace || trace.weight !== view.smoothing) {
      trace = { weight: view.smoothing, ema: new Ema(view.smoothing), points: new MinMaxDecimator() }
      this.#smoothed.set(run.id, trace)
    }
    // append() reads each new step exactly once, in order: the EMA sees every loss.
    const ema = trace.ema
    trace.points.append({ at: (step) => ema.next(run.losses.at(step)) }, run.losses.length)
    return [
      this.#reuse(`${run.id}:smoothed`, { label: run.label, data: visible(trace.points.points()), borderColor: colour, order: 0 }),
      this.#reuse(`${run.id}:raw`, {
        label: t('chart.raw', { label: run.label }),
        data: visible(decimator.points()),
        borderColor: `${colour}59`, // ~35 % opacity
        borderWidth: 1,
        raw: true,
        order: 1
      })
    ]
  }

  /** The dataset object for `key`, reused so Chart.js updates it in place. */
  #reuse(key: string, fields: Partial<LossDataset> & Pick<LossDataset, 'label' | 'data' | 'borderColor'>): LossDataset {
    const existing = this.#chart.data.datasets.find((dataset) => (dataset as LossDataset).key === key) as LossDataset | undefined
    const dataset: LossDataset = existing ?? ({ key } as LossDataset)
    return Object.assign(dataset, { backgroundColor: fields.borderColor, borderWidth: 2, raw: false, order: 0 }, fields)
  }
}

/** A scale switched between linear and logarithmic (log ticks at powers of ten). */
function setScale(scale: NonNullable<NonNullable<Chart<'line'>['options']['scales']>['x']>, log: boolean): void {
  if (scale.type === (log ? 'logarithmic' : 'linear')) return
  scale.type = log ? 'logarithmic' : 'linear'
  if (log) scale.ticks!.callback = logTick
  else delete scale.ticks!.callback
}
