import { mount } from 'svelte'
import App from './App.svelte'
import { connectEngine } from './engine'
import { labContext } from './state/context'
import { Lab } from './state/lab.svelte'
import './app.css'

const lab = new Lab(connectEngine())
mount(App, { target: document.getElementById('app')!, context: labContext(lab) })
