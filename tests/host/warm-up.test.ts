import { describe, expect, it } from 'vitest'
import { warmUpInTurns } from '../../src-main/host/warm-up'

/** A scheduler whose macrotasks run only when the test says so. */
function manualQueue(): { schedule: (next: () => void) => void; runAll: () => number } {
  const queue: (() => void)[] = []
  return {
    schedule: (next) => void queue.push(next),
    runAll() {
      let ran = 0
      while (queue.length > 0) {
        queue.shift()!()
        ran++
      }
      return ran
    }
  }
}

describe('warmUpInTurns', () => {
  it('runs every pass, one macrotask each, while nothing else arrives', () => {
    const queue = manualQueue()
    let passes = 0
    warmUpInTurns(3, () => false, queue.schedule, () => passes++)
    expect(passes).toBe(0) // nothing runs before the queued messages
    queue.runAll()
    expect(passes).toBe(3)
  })

  it('stops before the next pass once a command has arrived', () => {
    const queue = manualQueue()
    let passes = 0
    let busy = false
    warmUpInTurns(3, () => busy, queue.schedule, () => {
      passes++
      busy = true // a startRun handled during the first pass
    })
    queue.runAll()
    expect(passes).toBe(1)
  })

  it('skips even the first pass when a command was handled before it', () => {
    const queue = manualQueue()
    let passes = 0
    warmUpInTurns(3, () => true, queue.schedule, () => passes++)
    queue.runAll()
    expect(passes).toBe(0)
  })
})

