import { getContext } from 'svelte'
import type { Lab } from './lab.svelte'
import type { Preferences } from './preferences.svelte'
import type { SavedRuns } from './saved-runs.svelte'

const LAB = Symbol('lab')
const PREFERENCES = Symbol('preferences')
const SAVED_RUNS = Symbol('saved-runs')

/** The context map to mount the app with, so every component can `getLab()`. */
export function labContext(lab: Lab): Map<symbol, Lab> {
  return new Map([[LAB, lab]])
}

/** Context entries for `getPreferences()`; mount with `new Map([...labContext(lab), ...preferencesContext(p)])`. */
export function preferencesContext(preferences: Preferences): Map<symbol, Preferences> {
  return new Map([[PREFERENCES, preferences]])
}

export function getLab(): Lab {
  return getContext<Lab>(LAB)
}

export function getPreferences(): Preferences {
  return getContext<Preferences>(PREFERENCES)
}

export function savedRunsContext(saved: SavedRuns): Map<symbol, SavedRuns> {
  return new Map([[SAVED_RUNS, saved]])
}

export function getSavedRuns(): SavedRuns {
  return getContext<SavedRuns>(SAVED_RUNS)
}
