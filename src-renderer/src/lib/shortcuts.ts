/**
 * The lab's keyboard shortcuts (listed in the help dialog and the README). Pure functions of the key
 * event and what has focus, so they are unit-tested without a browser:
 * - Space: Train, or pause / resume a run that is going;
 * - →: a single step;
 * - Esc: stop;
 * - ?: the shortcuts dialog.
 * Keys a focused control uses itself are left to it: Space presses a focused button or ticks a box,
 * arrows move a caret, a slider or a list, and typing "?" in a field types a question mark.
 */
export type ShortcutAction = 'trainOrPause' | 'step' | 'stop' | 'help'

/** What the focused element does with keys: text entry, a control of its own, or nothing. */
export type FocusKind = 'text' | 'control' | 'none'

/** The parts of an element that decide its FocusKind (an Element satisfies it). */
export interface FocusTarget {
  tagName?: string
  type?: string
  isContentEditable?: boolean
  getAttribute?(name: string): string | null
}

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset', 'image'])
const CONTROL_ROLES = new Set(['button', 'checkbox', 'radio', 'slider', 'switch', 'tab', 'menuitem', 'option', 'combobox', 'listbox', 'spinbutton'])

export function focusKind(target: FocusTarget | null | undefined): FocusKind {
  if (!target?.tagName) return 'none'
  const tag = target.tagName.toLowerCase()
  if (target.isContentEditable || tag === 'textarea') return 'text'
  if (tag === 'input') return NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase()) ? 'control' : 'text'
  if (tag === 'select' || tag === 'button' || tag === 'summary' || tag === 'a') return 'control'
  const role = target.getAttribute?.('role')
  return role && CONTROL_ROLES.has(role) ? 'control' : 'none'
}

export interface KeyInput {
  key: string
  ctrlKey: boolean
  altKey: boolean
  metaKey: boolean
  /** Auto-repeat from a held key: never repeats Train/Pause (it would toggle back and forth). */
  repeat?: boolean
}

export function shortcutFor(event: KeyInput, focus: FocusKind): ShortcutAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null
  switch (event.key) {
    case 'Escape':
      return 'stop'
    case ' ':
    case 'Spacebar':
      return focus === 'none' && !event.repeat ? 'trainOrPause' : null
    case 'ArrowRight':
      return focus === 'none' ? 'step' : null
    case '?':
      return focus === 'text' ? null : 'help'
    default:
      return null
  }
}
