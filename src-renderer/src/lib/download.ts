/** Web mode's "save": a Blob offered as a download under `fileName`. */
export function downloadText(fileName: string, contents: string, type: string): void {
  downloadBlob(fileName, new Blob([contents], { type }))
}

/** Web mode's "save" for binary contents (a PNG); Electron shows its save dialog for it. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // Revoke later: the download may still be reading the Blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
