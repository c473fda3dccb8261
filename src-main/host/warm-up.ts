import { TrainingSession } from '../engine/train/session'
import { LESSON_CONFIG } from '../shared/config'

/**
 * Trains the lesson's network for a few steps and throws the result away, so that the engine's
 * code is compiled by the time the student presses Train. A cold engine takes ≈ 200–350 ms to
 * create the lesson's data and take its first step (interpreted JavaScript, baseline WebAssembly);
 * warm, ≈ 10 ms. Nothing is kept and nothing is sent; a failure here is ignored (the real run
 * would report it).
 */
export function warmUp(steps = 3): void {
  try {
    const session = new TrainingSession({ ...LESSON_CONFIG, steps })
    for (let t = 0; t < steps; t++) session.step()
    session.evaluateLoss()
  } catch {
    // Only a head start; the run itself reports any error.
  }
}
