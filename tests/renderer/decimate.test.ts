import { describe, expect, it } from 'vitest'
import { MinMaxDecimator } from '../../src-renderer/src/lib/decimate'

const series = (values: number[]) => ({ at: (step: number) => values[step] })

describe('MinMaxDecimator', () => {
  it('keeps every point while there are few', () => {
    const d = new MinMaxDecimator(8)
    d.append(series([3, 1, 2]), 3)
    expect(d.points()).toEqual([{ x: 0, y: 3 }, { x: 1, y: 1 }, { x: 2, y: 2 }])
  })

  it('stays bounded over a million steps and keeps each bucket’s extremes, in step order', () => {
    const n = 1_000_000
    const values = Array.from({ length: n }, (_, t) => 1000 / (t + 1) + ((t * 7919) % 13) / 100)
    values[123_456] = -5 // a spike down and one up must survive decimation
    values[654_321] = 1e6
    const d = new MinMaxDecimator(1024)
    for (let end = 0; end < n; end += 77_777) d.append(series(values), Math.min(n, end + 77_777))
    const points = d.points()
    expect(points.length).toBeLessThanOrEqual(2 * 1024)
    expect(points.length).toBeGreaterThan(1024)
    expect(points).toContainEqual({ x: 123_456, y: -5 })
    expect(points).toContainEqual({ x: 654_321, y: 1e6 })
    for (let i = 1; i < points.length; i++) expect(points[i].x).toBeGreaterThan(points[i - 1].x)
    for (const p of points) expect(p.y).toBe(values[p.x])
    expect(d.length).toBe(n)
  })
})
