import { withMinimumDuration } from './minimum-duration';

describe(withMinimumDuration.name, () => {
  const elapsed = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run().catch(() => undefined);
    return performance.now() - started;
  };

  it('waits out the floor when the work is quick, and answers its value', async () => {
    expect(await elapsed(() => withMinimumDuration(60, () => Promise.resolve(1)))).toBeGreaterThanOrEqual(55);
    await expect(withMinimumDuration(1, () => Promise.resolve('value'))).resolves.toBe('value');
  });

  it('waits out the floor before a failure too, then throws it', async () => {
    const failing = () => withMinimumDuration(60, () => Promise.reject(new Error('boom')));
    expect(await elapsed(failing)).toBeGreaterThanOrEqual(55);
    await expect(failing()).rejects.toThrow('boom');
  });

  it('adds nothing to work slower than the floor', async () => {
    const slow = () => new Promise((resolve) => setTimeout(resolve, 120));
    expect(await elapsed(() => withMinimumDuration(10, slow))).toBeLessThan(400);
  });
});
