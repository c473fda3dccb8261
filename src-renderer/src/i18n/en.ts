/**
 * Every user-visible English string of the renderer. Keys are grouped by area; `{name}` marks a
 * value filled in by `t()`. A translation (e.g. zh-CN.ts) exports an object of the same shape.
 * Contract names (DESIGN §8) are marked; end-to-end checks find controls by them.
 */
export const en = {
  'app.title': 'Optim Lab',
  'app.subtitle': 'How torch.optim trains the tutorial’s network',

  // Contract: button names
  'action.train': 'Train',
  'action.pause': 'Pause',
  'action.resume': 'Resume',
  'action.stop': 'Stop',
  'action.step': 'Step',
  'action.export': 'Export weights',
  'action.clearRuns': 'Clear runs',
  'action.addLayer': 'Add hidden layer',
  'action.removeLayer': 'Remove hidden layer {index}',
  'action.resetDefaults': 'Reset to lesson defaults',
  'action.dismiss': 'Dismiss',
  'controls.label': 'Training controls',

  // Contract: field names
  'config.heading': 'Experiment',
  'config.optimizer': 'Optimizer',
  'config.lr': 'Learning rate',
  'config.steps': 'Steps',
  'config.seed': 'Seed',
  'config.network': 'Network and data',
  'config.n': 'samples (rows of x)',
  'config.dIn': 'input features',
  'config.dOut': 'outputs',
  'config.hidden': 'Hidden layers',
  'config.hiddenWidth': 'Hidden layer {index} width',
  'config.noHidden': 'No hidden layer: a single Linear.',
  'config.activation': 'Activation',
  'config.reduction': 'Loss reduction',
  'config.dtype': 'dtype',
  'config.hyperHint': 'lr starts at the lesson’s 1e-4; every other hyperparameter at PyTorch’s default.',
  'config.lockedWhileRunning': 'Stop the current run to change the experiment.',
  'config.invalidNumber': '{field} must be a number.',

  // Contract: status line
  'status.idle': 'step 0/{total} · loss —',
  'status.progress': 'step {step}/{total} · loss {loss}',
  'status.noLoss': '—',
  'runStatus.running': 'running',
  'runStatus.paused': 'paused',
  'runStatus.stopped': 'stopped',
  'runStatus.finished': 'finished',
  'runStatus.failed': 'failed',
  'runStatus.lost': 'lost with the engine',

  'chart.heading': 'Loss',
  'chart.label': 'Loss chart',
  'chart.logScale': 'Log scale',
  'chart.xAxis': 'step t',
  'chart.yAxis': 'loss',
  'chart.tooltip': 'step {step} · loss {loss}',
  'chart.empty': 'Press Train to draw the loss of each step.',
  'run.label': '#{index} {optimizer} lr={lr} seed {seed}',

  'console.heading': 'Console',
  'console.label': 'Training output (t loss)',
  'console.empty': 'print(t, loss.item()) prints here.',
  'console.lines': '{count} lines',

  'identity.heading': 'Parameter identity',
  'identity.label': 'Parameter identity',
  'identity.parameter': 'Parameter',
  'identity.shape': 'Shape',
  'identity.modelId': 'model.parameters() id',
  'identity.groupId': 'param_groups[g]["params"] id',
  'identity.same': 'Same object?',
  'identity.sameObject': 'same object',
  'identity.differentObject': 'different object',
  'identity.empty': 'Start a run to compare the objects.',
  'identity.explainer':
    'optimizer.param_groups[0]["params"] holds references to the very tensors model.parameters() yields, not a deep copy; that is why optimizer.step(), updating them in place, changes the model.',

  'engine.connecting': 'Starting the engine…',
  'engine.crashed': 'The engine stopped ({reason}). Restarting it; your settings and finished runs are kept.',
  'engine.down': 'The engine stopped ({reason}) and could not be restarted. Reload the page to try again.',
  'engine.reconnected':
    'The engine stopped ({reason}) and was restarted. Runs in progress were lost; settings and finished runs are kept (their weights can no longer be exported). Press Train to run again.',
  'error.prefix': 'Error: {message}',
  'error.export': 'Could not export the weights: {message}',
  'export.saved': 'Saved {path}',
  'export.downloaded': 'Downloaded {file}',
  // Import weights, kept settings, recent runs
  'action.import': 'Import weights',
  'import.resumed': 'Imported {file}: its weights and {optimizer} state after {steps} steps. Press Resume or Step to continue training.',
  'import.weightsOnly': 'Imported {file}: its weights, with a fresh {optimizer}. Press Resume or Step to train from them.',
  'import.tooLarge': '{file} is {size}, more than the {limit} a weights file may be; it was not read.',
  'error.import': 'Could not import {file}: {message} Nothing was changed.',
  'storage.unreadable': 'Your saved settings could not be read ({reason}), so the defaults are in use.{moved}',
  'storage.movedTo': ' The unreadable copy was kept as {path}.',
  'storage.saveFailed': 'Could not save your settings: {message}',
  'recent.heading': 'Recent runs',
  'recent.empty': 'Finished runs are listed here, across restarts.',
  'recent.use': 'Use the settings of {label}',
  'recent.summary': '{status} after {steps} steps · loss {loss}',

  // Display settings (language, theme)
  'settings.label': 'Display settings',
  'settings.language': 'Language',
  'settings.languageAuto': 'System ({language})',
  'settings.theme': 'Theme',
  'settings.themeAuto': 'System',
  'settings.themeLight': 'Light',
  'settings.themeDark': 'Dark',

  // Keyboard shortcuts (help dialog)
  'shortcuts.open': 'Keyboard shortcuts',
  'shortcuts.heading': 'Keyboard shortcuts',
  'shortcuts.close': 'Close',
  'shortcuts.key': 'Key',
  'shortcuts.does': 'Action',
  'shortcuts.spaceKey': 'Space',
  'shortcuts.space': 'Train; while a run is going, pause or resume it',
  'shortcuts.rightKey': '→',
  'shortcuts.right': 'Single step: one zero_grad() → forward → backward() → step()',
  'shortcuts.escapeKey': 'Esc',
  'shortcuts.escape': 'Stop the run',
  'shortcuts.helpKey': '?',
  'shortcuts.help': 'Show this list',
  'shortcuts.tabKey': 'Tab / Shift+Tab',
  'shortcuts.tab': 'Move between controls; Enter or Space presses the focused button',
  'shortcuts.note': 'Space and → act on the lab when the focus is not in a field, a list or on a button.',

  // Screen-reader announcements (a few per run, not one per step)
  'announce.started': 'Training started: {optimizer}, {total} steps.',
  'announce.progress': '{percent}% done: step {step} of {total}, loss {loss}.',
  'announce.paused': 'Paused at step {step} of {total}, loss {loss}.',
  'announce.finished': 'Finished: step {step} of {total}, loss {loss}.',
  'announce.stopped': 'Stopped at step {step} of {total}, loss {loss}.',
  'announce.failed': 'The run failed at step {step}.',
  'announce.lost': 'The run was lost with the engine at step {step}.',

  // Chart tools
  'chart.tools': 'Chart options',
  'chart.logX': 'Log x axis',
  'chart.smoothing': 'Smoothing',
  'chart.raw': '{label} (raw)',
  'chart.exportPng': 'Export PNG',
  'chart.exportCsv': 'Export CSV',

  // Optimizer race
  'race.heading': 'Optimizer race',
  'race.hint': 'Every lane starts from the same data and initial weights θ₀ (drawn once from the seed, then copied) and all lanes step together. Network, data, seed and steps come from the Experiment panel.',
  'race.laneOptimizer': 'Race optimizer {index}',
  'race.laneLr': 'Race learning rate {index}',
  'race.laneMomentum': 'Race momentum {index}',
  'race.removeLane': 'Remove lane {index}',
  'race.addLane': 'Add lane',
  'race.preset': 'Use Momentum vs RMSprop vs Adam',
  'race.start': 'Start race',
  'race.stop': 'Stop race',
  'race.chart': 'Race chart',
  'race.table': 'Race lanes',
  'race.colLane': 'Lane',
  'race.colOptimizer': 'torch.optim',
  'race.colFingerprint': 'θ₀ fingerprint',
  'race.colStep': 'Step reached',
  'race.colLoss': 'Loss now',
  'race.fingerprintHint': 'θ₀ fingerprint: the first 8 hex digits of the sha256 of the initial parameters’ float32 bytes, in state_dict order.',
  'race.identical': 'All {count} lanes start from the same θ₀ ({fingerprint}).',
  'race.different': 'The lanes’ θ₀ fingerprints differ.',
  'race.failed': 'The race could not start: {message}',
  'race.empty': 'Start a race to see its lanes here.',

  // Lesson presets
  'preset.heading': 'Lesson presets',
  'preset.select': 'Lesson preset',
  'preset.choose': 'Choose a preset…',
  'preset.howRun': 'Loaded into the Experiment panel: press Train.',
  'preset.howRace': 'Loaded into the Optimizer race: press Start race.',
  'preset.check': 'PyTorch check',
  'preset.matches': '{label}: matches PyTorch {torch} within tolerance',
  'preset.diverges': '{label}: first diverges from PyTorch {torch} at step {step} (ours {ours}, PyTorch {theirs})',

  // PyTorch script export
  'script.heading': 'PyTorch script',
  'script.hint': 'The Experiment panel’s run as a standalone PyTorch program: run by real PyTorch it prints the same “t loss” lines.',
  'script.copy': 'Copy PyTorch script',
  'script.save': 'Save PyTorch script',
  'script.copied': 'Copied to the clipboard.',
  'script.copyFailed': 'The clipboard refused; use Save PyTorch script.',
  'script.show': 'Show the script',
  'script.code': 'PyTorch script code'
} as const

export type MessageKey = keyof typeof en
/** A catalogue for another locale: every key, any wording. */
export type Messages = Record<MessageKey, string>
