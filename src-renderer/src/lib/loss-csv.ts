/**
 * The loss curves as CSV: a `step` column, then one column per run headed by its label, one row per
 * step from 0 to the longest run's last; every loss, not the chart's decimated points, written as
 * Python's repr (round-trips exactly; `nan` and `inf` as Python and pandas read them). A run with
 * fewer steps leaves its later cells empty. RFC 4180 quoting, `\n` line ends.
 */
import { formatPythonFloat } from '../../../src-main/shared/python-format'

export interface CsvRun {
  label: string
  losses: { length: number; at(step: number): number }
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text
}

export function lossesCsv(runs: readonly CsvRun[]): string {
  const steps = runs.reduce((longest, run) => Math.max(longest, run.losses.length), 0)
  const lines = [['step', ...runs.map((run) => csvField(run.label))].join(',')]
  for (let step = 0; step < steps; step++) {
    const cells = runs.map((run) => (step < run.losses.length ? formatPythonFloat(run.losses.at(step)) : ''))
    lines.push(`${step},${cells.join(',')}`)
  }
  return lines.join('\n') + '\n'
}
