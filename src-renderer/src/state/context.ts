import { getContext } from 'svelte'
import type { Lab } from './lab.svelte'

const LAB = Symbol('lab')

/** The context map to mount the app with, so every component can `getLab()`. */
export function labContext(lab: Lab): Map<symbol, Lab> {
  return new Map([[LAB, lab]])
}

export function getLab(): Lab {
  return getContext<Lab>(LAB)
}
