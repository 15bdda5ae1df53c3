import { HashingSlots } from './hashing-slots';

describe('HashingSlots', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('runs at most `size` tasks at once, the others in the order they came', async () => {
    const slots = new HashingSlots(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const all = [0, 1, 2, 3, 4].map((n) => slots.run(() => new Promise<number>((done) => {
      started.push(n);
      finish[n] = () => done(n);
    })));
    await tick();
    expect(started).toEqual([0, 1]);
    finish[1]();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    finish[0]();
    finish[2]();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    finish[3]();
    finish[4]();
    await expect(Promise.all(all)).resolves.toEqual([0, 1, 2, 3, 4]);
  });

  it('frees the slot of a task that throws', async () => {
    const slots = new HashingSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('bad hash')))).rejects.toThrow('bad hash');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
  });
});
