import { LESSON_CONFIG } from '../shared/config'
import { Run } from './run'

/**
 * Trains the lesson's network for a few steps and throws the result away, so that the engine's
 * code is compiled by the time the student presses Train. A cold engine takes ≈ 200–350 ms to
 * create the lesson's data and take its first step (interpreted JavaScript, baseline WebAssembly);
 * warm, ≈ 10 ms. Nothing is kept and nothing is sent; a failure here is ignored (the real run
 * would report it).
 */
export function warmUp(steps = 3): void {
  try {
    // The whole of what startRun does (a Run: session, θ₀ fingerprint, microscope, snapshot), not
    // the session alone: after a session-only warm-up the first startRun still took ≈ 240 ms in
    // Node (the sha256 fingerprint and the run's first session cold), ≈ 30 ms after this one.
    const run = new Run('warm-up', { ...LESSON_CONFIG, steps }, false)
    run.snapshot()
    while (run.status === 'running') run.stepOnce()
  } catch {
    // Only a head start; the run itself reports any error.
  }
}

/**
 * `passes` warm-ups, each its own macrotask, stopping as soon as `busy()` says a command has
 * arrived (a run that is waiting must not wait for the rest of the warm-up). One pass leaves much of
 * the engine in baseline code: in Chromium's worker the first startRun after one pass answered with
 * its first loss in ≈ 80–100 ms, later ones in ≈ 25–45 ms.
 */
/**
 * The entry points' warm-up: `passes` of `warmUpInTurns` that stop once the host has received a
 * command other than ping (a run that is waiting must not wait for the warm-up). Returns the
 * function to show each incoming message.
 */
export function warmUpUntilCommanded(passes: number): (message: unknown) => void {
  let commanded = false
  warmUpInTurns(passes, () => commanded)
  return (message) => {
    if ((message as { type?: unknown } | null)?.type !== 'ping') commanded = true
  }
}

export function warmUpInTurns(
  passes: number,
  busy: () => boolean,
  schedule: (next: () => void) => void = (next) => setTimeout(next, 0),
  pass: () => void = warmUp
): void {
  const turn = (left: number): void => {
    if (left <= 0 || busy()) return
    pass()
    schedule(() => turn(left - 1))
  }
  schedule(() => turn(passes))
}
