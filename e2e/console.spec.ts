/**
 * The loss console follows the newest line while a run streams in, with nobody scrolling it (the
 * other specs scroll it themselves before reading it), and stops following once the reader
 * scrolls up.
 */
import { expect, test } from './fixtures'
import type { LabPage } from './pages/lab-page'

/** Whether the console's viewport shows its last line, and which step that line is. */
async function consoleEnd(lab: LabPage): Promise<{ atEnd: boolean; lastShown: number }> {
  return lab.consoleViewport().evaluate((viewport) => {
    const box = viewport.getBoundingClientRect()
    const shown = [...viewport.querySelectorAll('.line')].filter((line) => {
      const r = line.getBoundingClientRect()
      return r.top >= box.top - 1 && r.bottom <= box.bottom + 1
    })
    const last = shown.at(-1)?.textContent ?? ''
    return {
      atEnd: viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 2 * 20,
      lastShown: Number(/^(\d+) /.exec(last)?.[1] ?? -1)
    }
  })
}

test('the console follows the newest line while training, until the reader scrolls up', async ({ labPage: lab }) => {
  test.setTimeout(90_000)
  await lab.configure({ steps: 3000 })
  await lab.train()
  // Sampled while the run streams in: a sample may fall between a batch and the frame that
  // scrolls to it, so most, not all, must be at the end (a console that stopped following is at
  // the end in none after its first batches).
  const samples: boolean[] = []
  while ((await lab.readStatus()).step < 1500 && samples.length < 40) {
    samples.push((await consoleEnd(lab)).atEnd)
    await lab.page.waitForTimeout(100)
  }
  expect(samples.length).toBeGreaterThan(3)
  expect(samples.filter(Boolean).length).toBeGreaterThanOrEqual(samples.length / 2)

  // Scrolled up mid-run, it stays where the reader put it while the rest streams in.
  await lab.scrollConsoleTo('top')
  await expect(lab.status()).toHaveText(/^step 3000\/3000 · loss \d/, { timeout: 60_000 })
  expect(await consoleEnd(lab)).toMatchObject({ atEnd: false })
  expect((await consoleEnd(lab)).lastShown).toBeLessThan(20)

  // Back at the end, it follows the next run to its last line.
  await lab.scrollConsoleTo('bottom')
  await lab.configure({ steps: 2000 })
  await lab.train()
  await expect(lab.status()).toHaveText(/^step 2000\/2000 · loss \d/, { timeout: 60_000 })
  await expect.poll(() => consoleEnd(lab)).toEqual({ atEnd: true, lastShown: 1999 })
})
