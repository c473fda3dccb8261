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

type LossDataset = ChartDataset<'line', Point[]>

/** What the chart needs of a run; the renderer's Run satisfies it. */
export interface ChartRun {
  id: string
  index: number
  label: string
  losses: { length: number; at(step: number): number }
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

export class LossChart {
  readonly #chart: Chart<'line', Point[]>
  /**
   * Each run's points, by run id: min–max decimated as losses arrive, so a run of millions of steps
   * holds a few thousand points here (every loss stays in the run's Float64Array).
   */
  readonly #points = new Map<string, MinMaxDecimator>()

  constructor(canvas: HTMLCanvasElement) {
    this.#chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 0, hoverRadius: 4 }, line: { borderWidth: 2 } },
        scales: {
          x: { type: 'linear', title: { display: true, text: t('chart.xAxis') }, ticks: { precision: 0 } },
          y: { type: 'linear', title: { display: true, text: t('chart.yAxis') } }
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'min-max' },
          legend: { position: 'bottom', labels: { boxWidth: 14, boxHeight: 2 } },
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

  /** Bring the datasets in line with `runs`: new runs added, removed ones dropped, new points appended. */
  sync(runs: readonly ChartRun[], logScale: boolean): void {
    const chart = this.#chart
    const kept = new Set(runs.map((run) => run.id))
    for (const id of [...this.#points.keys()]) if (!kept.has(id)) this.#points.delete(id)
    chart.data.datasets = runs.map((run) => this.#dataset(run))
    const y = chart.options.scales!.y!
    if (y.type !== (logScale ? 'logarithmic' : 'linear')) {
      y.type = logScale ? 'logarithmic' : 'linear'
      if (logScale) y.ticks!.callback = logTick
      else delete y.ticks!.callback
    }
    // Decimate only when a run has more points than there are pixels to draw them.
    chart.options.plugins!.decimation!.threshold = Math.max(1, Math.floor(chart.width))
    chart.update('none')
    // What the chart holds stays bounded (decimated); shown on the canvas for tests and the curious.
    chart.canvas.dataset.points = String(this.pointCount)
  }

  /**
   * Colours of axes, grid and legend from the page's CSS variables (light or dark), and the axis
   * titles in the current language; call again when either changes.
   */
  applyTheme(): void {
    const scales = this.#chart.options.scales!
    ;(scales.x as { title: { text: string } }).title.text = t('chart.xAxis')
    ;(scales.y as { title: { text: string } }).title.text = t('chart.yAxis')
    const text = cssVar('--text-muted') || '#555'
    const grid = cssVar('--grid') || '#ddd'
    const options = this.#chart.options
    for (const scale of [options.scales!.x!, options.scales!.y!]) {
      scale.ticks!.color = text
      scale.grid!.color = grid
      ;(scale as { title: { color: string } }).title.color = text
    }
    options.plugins!.legend!.labels!.color = text
    this.#chart.update('none')
  }

  /** Points the chart holds over all runs (bounded by decimation). */
  get pointCount(): number {
    return this.#chart.data.datasets.reduce((sum, dataset) => sum + dataset.data.length, 0)
  }

  destroy(): void {
    this.#chart.destroy()
  }

  #dataset(run: ChartRun): LossDataset {
    let decimator = this.#points.get(run.id)
    if (!decimator) {
      decimator = new MinMaxDecimator()
      this.#points.set(run.id, decimator)
    }
    decimator.append(run.losses, run.losses.length)
    const points = decimator.points()
    const existing = this.#chart.data.datasets.find((dataset) => (dataset as { runId?: string }).runId === run.id)
    if (existing) {
      existing.data = points
      existing.label = run.label
      return existing
    }
    const colour = runColour(run.index)
    return { label: run.label, data: points, borderColor: colour, backgroundColor: colour, runId: run.id } as LossDataset
  }
}
