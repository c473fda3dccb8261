/** The keyboard shortcuts: which key does what, and which keys a focused control keeps for itself. */
import { describe, expect, it } from 'vitest'
import { focusKind, shortcutFor, type FocusKind, type FocusTarget } from '../../src-renderer/src/lib/shortcuts'

const key = (k: string, extra: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean; repeat: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...extra
})
const el = (tagName: string, extra: Partial<FocusTarget> & { role?: string } = {}): FocusTarget => ({
  tagName,
  getAttribute: (name) => (name === 'role' ? (extra.role ?? null) : null),
  ...extra
})

describe('focusKind', () => {
  it.each([
    [null, 'none'],
    [el('BODY'), 'none'],
    [el('CANVAS'), 'none'],
    [el('DIV', { role: 'region' }), 'none'],
    [el('INPUT', { type: 'number' }), 'text'],
    [el('INPUT', { type: 'text' }), 'text'],
    [el('INPUT'), 'text'],
    [el('TEXTAREA'), 'text'],
    [el('DIV', { isContentEditable: true }), 'text'],
    [el('INPUT', { type: 'checkbox' }), 'control'],
    [el('INPUT', { type: 'range' }), 'control'],
    [el('SELECT'), 'control'],
    [el('BUTTON'), 'control'],
    [el('A'), 'control'],
    [el('DIV', { role: 'slider' }), 'control']
  ] as [FocusTarget | null, FocusKind][])('%o is %s', (target, kind) => {
    expect(focusKind(target)).toBe(kind)
  })
})

describe('shortcutFor', () => {
  it('Space trains or pauses, → steps, Esc stops, ? opens the list, with nothing focused', () => {
    expect(shortcutFor(key(' '), 'none')).toBe('trainOrPause')
    expect(shortcutFor(key('ArrowRight'), 'none')).toBe('step')
    expect(shortcutFor(key('Escape'), 'none')).toBe('stop')
    expect(shortcutFor(key('?'), 'none')).toBe('help')
    expect(shortcutFor(key('a'), 'none')).toBeNull()
    expect(shortcutFor(key('ArrowLeft'), 'none')).toBeNull()
  })

  it('leaves Space and arrows to a focused field or control; Esc still stops', () => {
    for (const focus of ['text', 'control'] as const) {
      expect(shortcutFor(key(' '), focus)).toBeNull()
      expect(shortcutFor(key('ArrowRight'), focus)).toBeNull()
      expect(shortcutFor(key('Escape'), focus)).toBe('stop')
    }
    expect(shortcutFor(key('?'), 'text')).toBeNull() // typing a question mark
    expect(shortcutFor(key('?'), 'control')).toBe('help')
  })

  it('ignores keys with Ctrl, Alt or Meta, and a held Space', () => {
    expect(shortcutFor(key(' ', { ctrlKey: true }), 'none')).toBeNull()
    expect(shortcutFor(key('ArrowRight', { altKey: true }), 'none')).toBeNull()
    expect(shortcutFor(key('Escape', { metaKey: true }), 'none')).toBeNull()
    expect(shortcutFor(key(' ', { repeat: true }), 'none')).toBeNull()
    // A held → keeps stepping, one update per repeat.
    expect(shortcutFor(key('ArrowRight', { repeat: true }), 'none')).toBe('step')
  })
})
