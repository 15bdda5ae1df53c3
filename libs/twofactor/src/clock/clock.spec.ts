import { FixedClock } from '../testing/fixed-clock';

describe(FixedClock.name, () => {
  it('moves only when told to', () => {
    const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));
    clock.advance(30_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:30.000Z');
  });
});
