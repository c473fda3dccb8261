/**
 * Saved runs and imported presets in IndexedDB: it holds typed data of any size (a saved run carries
 * every loss and the final weights; localStorage's few megabytes would not do), and it lives in the
 * page's origin, which in Electron is kept in the user data folder, so runs survive restarts there too.
 */
import type { SavedRun } from '../../../src-main/shared/lesson-bundle'
import type { Preset } from '../../../src-main/shared/presets'

const DB_NAME = 'optim-lab'
const DB_VERSION = 1
type StoreName = 'runs' | 'presets'

export interface SavedRunsDb {
  list<T extends SavedRun | Preset>(store: StoreName): Promise<T[]>
  put(store: StoreName, value: SavedRun | Preset): Promise<void>
  remove(store: StoreName, id: string): Promise<void>
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'))
  })
}

export function openSavedRunsDb(factory: IDBFactory = indexedDB): SavedRunsDb {
  const db = new Promise<IDBDatabase>((resolve, reject) => {
    const open = factory.open(DB_NAME, DB_VERSION)
    open.onupgradeneeded = () => {
      for (const store of ['runs', 'presets']) if (!open.result.objectStoreNames.contains(store)) open.result.createObjectStore(store, { keyPath: 'id' })
    }
    open.onsuccess = () => resolve(open.result)
    open.onerror = () => reject(open.error ?? new Error('IndexedDB is not available'))
  })
  const store = async (name: StoreName, mode: IDBTransactionMode): Promise<IDBObjectStore> => (await db).transaction(name, mode).objectStore(name)
  return {
    list: async <T,>(name: StoreName) => (await request((await store(name, 'readonly')).getAll())) as T[],
    put: async (name, value) => void (await request((await store(name, 'readwrite')).put(value))),
    remove: async (name, id) => void (await request((await store(name, 'readwrite')).delete(id)))
  }
}
