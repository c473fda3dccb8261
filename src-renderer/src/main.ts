import { mount } from 'svelte'
import App from './App.svelte'
import { connectEngine } from './engine'
import { labContext, preferencesContext, savedRunsContext } from './state/context'
import { Lab } from './state/lab.svelte'
import { Preferences } from './state/preferences.svelte'
import { SavedRuns } from './state/saved-runs.svelte'
import { openSavedRunsDb } from './lib/saved-runs-db'
import './app.css'

// Preferences first: the language and theme apply before the first frame is drawn.
const preferences = new Preferences()
const lab = new Lab(connectEngine())
const saved = new SavedRuns(typeof indexedDB === 'undefined' ? null : openSavedRunsDb())
mount(App, {
  target: document.getElementById('app')!,
  context: new Map<symbol, unknown>([...labContext(lab), ...preferencesContext(preferences), ...savedRunsContext(saved)])
})
