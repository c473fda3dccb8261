/** CSV import: shapes in the preview, and clear per-line problems for ragged, non-numeric and empty rows. */
import { describe, expect, it } from 'vitest'
import { MAX_PROBLEMS, parseCsv, splitLine } from '../../src-renderer/src/lib/csv-import'

const ok = (result: ReturnType<typeof parseCsv>) => {
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.dataset
}

describe('parseCsv', () => {
  it('reads a headed classification file: x [N, d_in], integer classes', () => {
    const d = ok(parseCsv('x1,x2,label\n0.5,1,0\n-1,2e-3,1\n3,4,2\n', 'points.csv', 'classification'))
    expect(d).toMatchObject({ n: 3, dIn: 2, dOut: 3, columns: ['x1', 'x2', 'label'], classNames: null })
    expect(d.x).toEqual([0.5, 1, -1, 0.002, 3, 4])
    expect(d.y).toEqual([0, 1, 2])
  })

  it('numbers named classes in order of first appearance', () => {
    const d = ok(parseCsv('a,b,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n', 'iris.csv', 'classification'))
    expect(d.classNames).toEqual(['setosa', 'virginica'])
    expect(d.y).toEqual([0, 1, 0])
    expect(d.dOut).toBe(2)
  })

  it('reads regression with several target columns, no header, CRLF, tabs, quotes and a BOM', () => {
    const d = ok(parseCsv('\uFEFF1\t2\t3\t4\r\n5\t6\t7\t8\r\n', 'r.tsv', 'regression', 2))
    expect(d).toMatchObject({ n: 2, dIn: 2, dOut: 2, columns: ['1', '2', '3', '4'] })
    expect(d.x).toEqual([1, 2, 5, 6])
    expect(d.y).toEqual([3, 4, 7, 8])
    expect(ok(parseCsv('"a, b",y\n"1",2\n', 'q.csv', 'regression')).columns).toEqual(['a, b', 'y'])
    expect(splitLine('"say ""hi""", 2', ',')).toEqual(['say "hi"', '2'])
  })

  it('says which line is ragged, non-numeric or empty', () => {
    const result = parseCsv('x,y,c\n1,2,0\n1,2\n\nabc,2,1\n1,inf,1\n1,2,\n', 'bad.csv', 'classification')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems).toEqual([
      { key: 'csv.error.ragged', values: { line: 3, found: 2, expected: 3 } },
      { key: 'csv.error.emptyRow', values: { line: 4 } },
      { key: 'csv.error.notNumber', values: { line: 5, column: 'x', value: 'abc' } },
      { key: 'csv.error.notNumber', values: { line: 6, column: 'y', value: 'inf' } },
      { key: 'csv.error.notNumber', values: { line: 7, column: 'c', value: '' } }
    ])
  })

  it('refuses an empty file, a header alone, too few columns, one class; sums up many problems', () => {
    expect(parseCsv('', 'e.csv', 'regression')).toEqual({ ok: false, problems: [{ key: 'csv.error.empty', values: {} }] })
    expect(parseCsv('\n\n', 'e.csv', 'regression')).toEqual({ ok: false, problems: [{ key: 'csv.error.empty', values: {} }] })
    expect(parseCsv('a,b\n', 'h.csv', 'regression')).toEqual({ ok: false, problems: [{ key: 'csv.error.empty', values: {} }] })
    expect(parseCsv('a\n1\n', 'one.csv', 'regression')).toEqual({
      ok: false,
      problems: [{ key: 'csv.error.tooFewColumns', values: { needed: 2, found: 1 } }]
    })
    expect(parseCsv('a,b,c\n1,2,3\n', 'r.csv', 'regression', 3).ok).toBe(false)
    expect(parseCsv('a,c\n1,0\n2,0\n', 'c.csv', 'classification')).toEqual({ ok: false, problems: [{ key: 'csv.error.oneClass', values: { classes: 1 } }] })
    const many = parseCsv('a,b\n' + 'x,1\n'.repeat(12), 'm.csv', 'regression')
    expect(many.ok).toBe(false)
    if (!many.ok) {
      expect(many.problems).toHaveLength(MAX_PROBLEMS + 1)
      expect(many.problems.at(-1)).toEqual({ key: 'csv.error.more', values: { count: 12 - MAX_PROBLEMS } })
    }
  })
})
