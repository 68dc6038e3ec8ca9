/**
 * A resource shared by the tests of one file (or `describe` block): started in beforeAll, stopped
 * in afterAll. What it returns stands in for the resource and reads through to it, so the tests
 * keep writing `azurite.connectionString` or `connector.delivered`; reading it before beforeAll
 * has run (at a file's top level) is a mistake, and says so.
 */
export function forAllTests<T extends object>(
  start: () => Promise<T>,
  stop: (resource: T) => Promise<void>,
): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    if (started) await stop(started);
    started = undefined;
  });
  const current = (): T => {
    if (!started) throw new Error('Not started yet: use it inside a test or a hook.');
    return started;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const resource = current();
      const value: unknown = Reflect.get(resource, key);
      return typeof value === 'function' ? value.bind(resource) : value;
    },
  });
}
