/**
 * What the charts share: the theme's colours, and for the loss chart and the lr chart under it the
 * Chart.js options of a line chart over steps (no animation, pre-parsed {x, y} points, a y axis
 * whose width can be raised so that both plot areas start at the same x).
 */
import type { ChartOptions, ScaleOptionsByType } from 'chart.js'
import { t } from '../i18n/index.svelte'

/** A custom property of the page's theme (light or dark). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

/** A chart whose y axis lines up with another's: its natural width at the last layout, and the least it is given. */
export interface AlignedYAxis {
  naturalYWidth: number
  minYWidth: number
}

export function stepChartOptions(
  axis: AlignedYAxis,
  { yTitle, hoverRadius, yTicks }: { yTitle: string; hoverRadius: number; yTicks?: Partial<ScaleOptionsByType<'linear'>['ticks']> }
): ChartOptions<'line'> {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hoverRadius }, line: { borderWidth: 2 } },
    scales: {
      x: { type: 'linear', title: { display: true, text: t('chart.xAxis') }, ticks: { precision: 0 } },
      y: {
        type: 'linear',
        title: { display: true, text: yTitle },
        ...(yTicks ? { ticks: yTicks } : {}),
        afterFit: (scale) => {
          axis.naturalYWidth = scale.width
          scale.width = Math.max(scale.width, axis.minYWidth)
        }
      }
    }
  }
}

/** Colours both axes' ticks, grid lines and titles from the theme; returns the text colour. */
export function themeStepAxes(options: ChartOptions<'line'>): string {
  const text = cssVar('--text-muted') || '#555'
  const grid = cssVar('--grid') || '#ddd'
  for (const scale of [options.scales!.x!, options.scales!.y!]) {
    scale.ticks!.color = text
    scale.grid!.color = grid
    ;(scale as { title: { color: string } }).title.color = text
  }
  return text
}
