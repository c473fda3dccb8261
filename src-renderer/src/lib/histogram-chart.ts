/**
 * The microscope's histogram over Chart.js: one bar dataset of pre-binned counts as {x, y} points
 * (no parsing, no animation), updated in place.
 */
import { BarController, BarElement, Chart, LinearScale, Tooltip } from 'chart.js'
import { formatPythonFloat } from '../../../src-main/shared/python-format'
import type { Histogram } from './heatmap'
import { cssVar } from './chart-common'

Chart.register(BarController, BarElement, LinearScale, Tooltip)

type Bar = { x: number; y: number }

const accentColour = (): string => cssVar('--accent') || '#0b63b6'

/** Short axis labels: four significant digits, written as Python would. */
export function shortNumber(value: number): string {
  return formatPythonFloat(Number(value.toPrecision(4)))
}

export class HistogramChart {
  readonly #chart: Chart<'bar', Bar[]>

  constructor(canvas: HTMLCanvasElement) {
    this.#chart = new Chart<'bar', Bar[]>(canvas, {
      type: 'bar',
      data: { datasets: [{ data: [], barPercentage: 1, categoryPercentage: 1, borderWidth: 0, backgroundColor: accentColour() }] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', offset: false, ticks: { maxTicksLimit: 7, callback: (v) => shortNumber(Number(v)) } },
          y: { type: 'linear', beginAtZero: true, ticks: { precision: 0 } }
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: (items) => shortNumber(items[0].parsed.x ?? 0) } }
        }
      }
    })
  }

  /** Draw `histogram`, each bar centred on its bin. */
  show(histogram: Histogram): void {
    const chart = this.#chart
    const half = histogram.width / 2
    chart.data.datasets[0].data = histogram.counts.map((count, k) => ({ x: histogram.edges[k] + half, y: count }))
    chart.data.datasets[0].backgroundColor = accentColour()
    const muted = cssVar('--text-muted') || '#555'
    const grid = cssVar('--grid') || '#ddd'
    for (const scale of [chart.options.scales!.x!, chart.options.scales!.y!]) {
      scale.ticks!.color = muted
      scale.grid!.color = grid
    }
    // A full update (there is no animation): options changed by the theme are resolved again.
    chart.update()
  }

  destroy(): void {
    this.#chart.destroy()
  }
}
