import { describe, expect, it } from 'vitest'
import { MAX_SIDE, divergingColour, gridOf, heatmapPixels, histogram, weightAt } from '../../src-renderer/src/lib/heatmap'

describe('microscope heatmap', () => {
  it('draws a weight matrix as its rows and a bias as one row', () => {
    expect(gridOf([100, 1000])).toEqual({ rows: 100, cols: 1000 })
    expect(gridOf([10])).toEqual({ rows: 1, cols: 10 })
  })

  it('maps −limit, 0 and +limit to the scale’s blue, neutral and red, NaN to grey', () => {
    expect(divergingColour(-2, 2)).toEqual([33, 102, 172])
    expect(divergingColour(0, 2)).toEqual([247, 247, 247])
    expect(divergingColour(2, 2)).toEqual([178, 24, 43])
    expect(divergingColour(5, 2)).toEqual([178, 24, 43])
    expect(divergingColour(NaN, 2)).toEqual([128, 128, 128])
    const half = divergingColour(1, 2)
    expect(half[0]).toBeGreaterThan(178)
    expect(half[0]).toBeLessThan(247)
  })

  it('draws one pixel per weight, row-major, up to MAX_SIDE', () => {
    const values = [1, 0, -1, 0, 0, 0]
    const image = heatmapPixels(values, 2, 3, 1)
    expect([image.width, image.height, image.rowBlock, image.colBlock]).toEqual([3, 2, 1, 1])
    expect(Array.from(image.pixels.slice(0, 4))).toEqual([178, 24, 43, 255])
    expect(Array.from(image.pixels.slice(8, 12))).toEqual([33, 102, 172, 255])
    expect(Array.from(image.pixels.slice(12, 16))).toEqual([247, 247, 247, 255])
  })

  it('downsamples wider matrices, each block showing its largest magnitude', () => {
    const cols = MAX_SIDE * 2 + 1
    const values = new Float32Array(cols)
    values[cols - 1] = -3 // alone in the last block
    values[5] = 3
    const image = heatmapPixels(values, 1, cols, 3)
    expect(image.colBlock).toBe(3)
    expect(image.width).toBe(Math.ceil(cols / 3))
    expect(Array.from(image.pixels.slice(4, 8))).toEqual([178, 24, 43, 255]) // block 1 holds index 5
    expect(Array.from(image.pixels.slice((image.width - 1) * 4, image.width * 4))).toEqual([33, 102, 172, 255])
  })

  it('maps a click back to its weight', () => {
    expect(weightAt(0, 0, 100, 1000)).toEqual({ row: 0, col: 0 })
    expect(weightAt(0.5005, 0.255, 100, 1000)).toEqual({ row: 25, col: 500 })
    expect(weightAt(1, 1, 100, 1000)).toEqual({ row: 99, col: 999 })
  })

  it('counts values into equal bins, the maximum in the last, NaN apart', () => {
    const h = histogram([0, 0.1, 0.5, 0.99, 1, NaN], 4, 0, 1)
    expect(h.counts).toEqual([2, 0, 1, 2])
    expect(h.edges).toEqual([0, 0.25, 0.5, 0.75])
    expect(h.missing).toBe(1)
    expect(histogram([2, 2, 2], 10, 2, 2).counts).toEqual([3])
  })
})
