// Preloaded into electronegativity (node -r) by scripts/audit-electron.mjs. Its CSV writer starts
// two asynchronous writes at once: the header (which truncates the file) and the findings (appended).
// When the append lands first, the header overwrites the start of the findings and the report comes
// out garbled. Writing synchronously, in call order, makes every report whole.
const fs = require('node:fs')

const asyncWriteFile = fs.writeFile
fs.writeFile = function writeFileInOrder(file, data, options, callback) {
  const done = typeof options === 'function' ? options : callback
  const opts = typeof options === 'function' ? undefined : options
  if (typeof file !== 'string' || !file.endsWith('.csv')) return asyncWriteFile.apply(fs, arguments)
  let error = null
  try {
    fs.writeFileSync(file, data, opts)
  } catch (e) {
    error = e
  }
  if (done) process.nextTick(done, error)
}
