/** Loss CSV export: every step of every run, Python's repr, labelled columns, RFC 4180 quoting. */
import { describe, expect, it } from 'vitest'
import { csvField, lossesCsv } from '../../src-renderer/src/lib/loss-csv'

const series = (values: number[]) => ({ length: values.length, at: (k: number) => values[k] })

describe('lossesCsv', () => {
  it('writes a step column and one column per run, every step, in repr form', () => {
    const csv = lossesCsv([
      { label: '#1 Adam lr=0.0001 seed 0', losses: series([628.283935546875, 612.4874267578125, 9.681373194325715e-5]) },
      { label: '#2 SGD lr=1e-05 seed 1', losses: series([1, 0.5]) }
    ])
    expect(csv).toBe(
      [
        'step,#1 Adam lr=0.0001 seed 0,#2 SGD lr=1e-05 seed 1',
        '0,628.283935546875,1.0',
        '1,612.4874267578125,0.5',
        '2,9.681373194325715e-05,',
        ''
      ].join('\n')
    )
  })

  it('round-trips every value exactly and keeps nan and inf', () => {
    const values = Array.from({ length: 1000 }, (_, k) => Math.fround(Math.exp(-k / 97) * 1000 + Math.sin(k)))
    values[500] = NaN
    values[501] = Infinity
    const rows = lossesCsv([{ label: 'run', losses: series(values) }]).trimEnd().split('\n')
    expect(rows).toHaveLength(1001)
    rows.slice(1).forEach((row, k) => {
      const [step, loss] = row.split(',')
      expect(Number(step)).toBe(k)
      if (k === 500) expect(loss).toBe('nan')
      else if (k === 501) expect(loss).toBe('inf')
      else expect(Number(loss)).toBe(values[k])
    })
  })

  it('quotes labels with commas, quotes, line breaks or edge spaces', () => {
    expect(csvField('plain label')).toBe('plain label')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(' padded')).toBe('" padded"')
    expect(lossesCsv([{ label: '#1 种子 0, "x"', losses: series([2]) }])).toBe('step,"#1 种子 0, ""x"""\n0,2.0\n')
  })

  it('is just the header without runs or losses', () => {
    expect(lossesCsv([])).toBe('step\n')
    expect(lossesCsv([{ label: 'r', losses: series([]) }])).toBe('step,r\n')
  })
})
