/**
 * Importing the real `electron` package from Node would try to download its binary, so every test
 * of main-process code mocks it. Test files call `vi.mock('electron', () => electronStub())` (or a
 * richer factory) even when the module under test only imports types, as a guard.
 */
export function electronStub(): Record<string, unknown> {
  const fail = (): never => {
    throw new Error('electron is mocked in unit tests; pass fakes to the module under test')
  }
  return new Proxy({}, { get: (_target, key) => (key === 'then' ? undefined : fail) })
}
