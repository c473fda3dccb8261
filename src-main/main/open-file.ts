/**
 * Opening a weights file: a native open dialog, then a size check before anything is read, then
 * the text. Its contents are the engine's to judge (shared/weights-import.ts); main only refuses
 * what is too large to be a weights file.
 */
import * as fs from 'node:fs/promises'
import { basename } from 'node:path'
import { LIMITS } from '../shared/schema'
import { formatBytes } from '../shared/memory'

/** A weights file's UTF-8 text is at most LIMITS.maxWeightsChars characters, so at most 4 bytes each. */
export const MAX_WEIGHTS_FILE_BYTES = LIMITS.maxWeightsChars

export interface OpenDialog {
  (options: {
    title: string
    filters: { name: string; extensions: string[] }[]
    properties: 'openFile'[]
  }): Promise<{ canceled: boolean; filePaths: string[] }>
}

export interface OpenIo {
  stat(path: string): Promise<{ size: number; isFile(): boolean }>
  readFile(path: string, encoding: 'utf8'): Promise<string>
}

export class FileTooLargeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FileTooLargeError'
  }
}

/** Asks for a weights file and reads it; null when cancelled. Throws for a file too large or unreadable. */
export async function openWithDialog(
  showOpenDialog: OpenDialog,
  io: OpenIo = { stat: (p) => fs.stat(p), readFile: (p, e) => fs.readFile(p, e) },
  maxBytes = MAX_WEIGHTS_FILE_BYTES
): Promise<{ name: string; text: string } | null> {
  const result = await showOpenDialog({
    title: 'Import weights',
    filters: [{ name: 'Optim Lab weights (JSON)', extensions: ['json'] }],
    properties: ['openFile']
  })
  const [path] = result.filePaths
  if (result.canceled || !path) return null
  const info = await io.stat(path)
  if (!info.isFile()) throw new Error(`${basename(path)} is not a file`)
  if (info.size > maxBytes) {
    throw new FileTooLargeError(
      `${basename(path)} is ${formatBytes(info.size)}, more than the ${formatBytes(maxBytes)} a weights file may be; it was not read`
    )
  }
  return { name: basename(path), text: await io.readFile(path, 'utf8') }
}
