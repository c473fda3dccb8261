/**
 * A CSV file as training data: every column but the targets is a feature (x), the targets are the
 * last column(s). Regression: the last `targets` columns are y (real numbers). Classification: the
 * last column is the class — integers 0…C−1 are used as they are, any other labels are numbered in
 * order of first appearance (their names are kept for the preview). A first row that is not all
 * numbers is the header. Problems are reported per line (1-based, as an editor shows them), as
 * message keys so they read in the student's language. Pure: no DOM, unit-tested.
 */
import type { CsvTask } from '../../../src-main/shared/config'
import type { MessageKey } from '../i18n/en'

export interface CsvProblem {
  key: MessageKey
  values: Record<string, string | number>
}

export interface CsvDataset {
  task: CsvTask
  name: string
  /** Column names (from the header, or column 1, 2, …). */
  columns: string[]
  n: number
  dIn: number
  /** Regression: target columns; classification: number of classes. */
  dOut: number
  /** N × d_in values, row-major. */
  x: number[]
  /** Regression: N × d_out values; classification: N class indices. */
  y: number[]
  /** Classification with named labels: the name of each class index. */
  classNames: string[] | null
}

export type CsvResult = { ok: true; dataset: CsvDataset } | { ok: false; problems: CsvProblem[] }

/** More problems than this are summed up in one line. */
export const MAX_PROBLEMS = 5
export const MAX_CSV_VALUES = 2_000_000

/** A finite decimal number (nan and inf are refused: a loss over them is meaningless). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** Splits one line into fields: commas (or tabs / semicolons when the file uses those), RFC 4180 quotes. */
export function splitLine(line: string, delimiter: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++
      else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"' && field.trim() === '') (quoted = true), (field = '')
    else if (ch === delimiter) fields.push(field.trim()), (field = '')
    else field += ch
  }
  fields.push(field.trim())
  return fields
}

function delimiterOf(line: string): string {
  const counts = [',', '\t', ';'].map((d) => [d, line.split(d).length] as const)
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0]
}

const isNumber = (text: string): boolean => NUMBER.test(text)

export function parseCsv(text: string, name: string, task: CsvTask, targets = 1): CsvResult {
  const problems: CsvProblem[] = []
  const fail = (): CsvResult => {
    const shown = problems.slice(0, MAX_PROBLEMS)
    if (problems.length > MAX_PROBLEMS) shown.push({ key: 'csv.error.more', values: { count: problems.length - MAX_PROBLEMS } })
    return { ok: false, problems: shown }
  }
  // Lines with their 1-based numbers; trailing blank lines (and a BOM) are not data.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).map((line, i) => ({ line, number: i + 1 }))
  while (lines.length > 0 && lines[lines.length - 1].line.trim() === '') lines.pop()
  if (lines.length === 0) return { ok: false, problems: [{ key: 'csv.error.empty', values: {} }] }

  const delimiter = delimiterOf(lines[0].line)
  const first = splitLine(lines[0].line, delimiter)
  const hasHeader = first.some((field) => !isNumber(field))
  const columns = hasHeader ? first : first.map((_, i) => String(i + 1))
  const rows = hasHeader ? lines.slice(1) : lines
  const width = columns.length
  const needed = task === 'classification' ? 2 : targets + 1
  if (width < needed) return { ok: false, problems: [{ key: 'csv.error.tooFewColumns', values: { needed, found: width } }] }
  if (rows.length === 0) return { ok: false, problems: [{ key: 'csv.error.empty', values: {} }] }
  if (rows.length * width > MAX_CSV_VALUES) {
    return { ok: false, problems: [{ key: 'csv.error.tooLarge', values: { values: rows.length * width, limit: MAX_CSV_VALUES } }] }
  }

  const dIn = task === 'classification' ? width - 1 : width - targets
  const x: number[] = []
  const y: number[] = []
  const labels: string[] = []
  for (const { line, number } of rows) {
    if (line.trim() === '') {
      problems.push({ key: 'csv.error.emptyRow', values: { line: number } })
      continue
    }
    const fields = splitLine(line, delimiter)
    if (fields.length !== width) {
      problems.push({ key: 'csv.error.ragged', values: { line: number, found: fields.length, expected: width } })
      continue
    }
    fields.forEach((field, c) => {
      const isLabel = task === 'classification' && c === width - 1
      if (isLabel) return void labels.push(field)
      const value = isNumber(field) ? Number(field) : NaN
      if (!Number.isFinite(value)) {
        problems.push({ key: 'csv.error.notNumber', values: { line: number, column: columns[c], value: field } })
      } else (c < dIn ? x : y).push(value)
    })
    if (task === 'classification' && fields[width - 1] === '') {
      problems.push({ key: 'csv.error.notNumber', values: { line: number, column: columns[width - 1], value: '' } })
    }
  }
  if (problems.length > 0) return fail()

  const n = rows.length
  if (task === 'regression') return { ok: true, dataset: { task, name, columns, n, dIn, dOut: targets, x, y, classNames: null } }

  // Classes: integers 0…C−1 as they are; otherwise names numbered in order of first appearance.
  const integers = labels.every((label) => /^\d+$/.test(label))
  const names = integers ? null : [...new Set(labels)]
  const indices = integers ? labels.map(Number) : labels.map((label) => names!.indexOf(label))
  const classes = integers ? Math.max(...indices) + 1 : names!.length
  if (classes < 2) return { ok: false, problems: [{ key: 'csv.error.oneClass', values: { classes } }] }
  return { ok: true, dataset: { task, name, columns, n, dIn, dOut: classes, x, y: indices, classNames: names } }
}
