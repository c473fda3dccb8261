/**
 * Saving exported weights: a native save dialog, then an atomic write, so the chosen path holds
 * either the old file or the complete new one, never a partial file (a crash or full disk midway
 * leaves only a temp file, which is removed).
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** The file-system calls the atomic write makes (node:fs/promises by default; tests inject faults). */
export interface AtomicWriteFs {
  open: typeof fs.open
  rename: typeof fs.rename
  unlink: typeof fs.unlink
}

/**
 * Writes `contents` to a temp file in the target's directory (same file system, so `rename` is
 * atomic), flushes it to disk, renames it over the target, then flushes the directory entry.
 */
export async function writeFileAtomic(target: string, contents: string, io: AtomicWriteFs = fs): Promise<void> {
  const directory = dirname(target)
  const temp = join(directory, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await io.open(temp, 'wx', 0o644)
    try {
      await handle.writeFile(contents, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await io.rename(temp, target)
  } catch (error) {
    await io.unlink(temp).catch(() => undefined)
    throw error
  }
  await syncDirectory(directory, io)
}

/** Makes the rename durable on POSIX; Windows cannot open directories, which is fine to skip. */
async function syncDirectory(directory: string, io: AtomicWriteFs): Promise<void> {
  if (process.platform === 'win32') return
  try {
    const handle = await io.open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Some file systems refuse fsync on directories; the data itself is already synced.
  }
}

const MAX_NAME_LENGTH = 120

/** A plain file name for the dialog's default: no directories, no control characters, ends in .json. */
export function sanitizeFileName(suggested: string, fallback = 'weights.json'): string {
  const lastSegment = suggested.split(/[\\/]/).pop() ?? ''
  let name = lastSegment
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .replace(/^\.+/, '')
    .trim()
  if (name === '') name = fallback
  if (!name.toLowerCase().endsWith('.json')) name += '.json'
  if (name.length > MAX_NAME_LENGTH) name = name.slice(0, MAX_NAME_LENGTH - 5) + '.json'
  return name
}

export interface SaveDialog {
  (options: {
    title: string
    defaultPath: string
    filters: { name: string; extensions: string[] }[]
    properties: 'createDirectory'[]
  }): Promise<{ canceled: boolean; filePath?: string }>
}

/** Asks where to save (starting in `defaultDirectory`) and writes atomically; null when cancelled. */
export async function saveWithDialog(
  showSaveDialog: SaveDialog,
  defaultDirectory: string,
  suggestedName: string,
  contents: string,
  write: (target: string, contents: string) => Promise<void> = writeFileAtomic
): Promise<string | null> {
  const result = await showSaveDialog({
    title: 'Export weights',
    defaultPath: join(defaultDirectory, sanitizeFileName(suggestedName)),
    filters: [{ name: 'Optim Lab weights (JSON)', extensions: ['json'] }],
    properties: ['createDirectory']
  })
  if (result.canceled || !result.filePath) return null
  await write(result.filePath, contents)
  return result.filePath
}
