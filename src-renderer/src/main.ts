import { mount } from 'svelte'
import App from './App.svelte'
import { connectEngine } from './engine'
import { labContext, preferencesContext } from './state/context'
import { Lab } from './state/lab.svelte'
import { Preferences } from './state/preferences.svelte'
import './app.css'

// Preferences first: the language and theme apply before the first frame is drawn.
const preferences = new Preferences()
const lab = new Lab(connectEngine())
mount(App, {
  target: document.getElementById('app')!,
  context: new Map<symbol, unknown>([...labContext(lab), ...preferencesContext(preferences)])
})
