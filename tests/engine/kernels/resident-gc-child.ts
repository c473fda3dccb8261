/**
 * Run by resident-memory.test.ts in a child Node with --expose-gc: storages dropped without being
 * recycled come back to the resident heap once collected (FinalizationRegistry), and their blocks
 * are handed out again. Prints one JSON line.
 */
import { ResidentMemory } from '../../../src-main/engine/kernels/resident-memory'

const gc = (globalThis as { gc?: () => void }).gc!
const heap = new ResidentMemory(new WebAssembly.Memory({ initial: 1, maximum: 4096, shared: true }))
const before = heap.liveBytes
let held = 0
;(() => {
  const storages = Array.from({ length: 20 }, () => heap.allocate('float32', 1 << 16)!)
  held = heap.liveBytes
  storages.length = 0
})()
const kept = heap.allocate('float32', 1 << 14)!
// Finalizers run as tasks after a collection.
for (let i = 0; i < 20 && heap.liveBytes > before + (1 << 16); i++) {
  gc()
  await new Promise((resolve) => setTimeout(resolve, 10))
}
const after = heap.liveBytes - (1 << 16)
const again = heap.allocate('float32', 1 << 16)!
process.stdout.write(JSON.stringify({ before, held, after, reused: again.byteOffset < kept.byteOffset }) + '\n')
