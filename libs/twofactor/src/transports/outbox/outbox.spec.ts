import { FixedClock } from '../../testing/fixed-clock';
import { DevOutbox, maskRecipient } from './outbox';
import { OutboxEmailTransport } from './outbox.email-transport';
import { OutboxSmsTransport } from './outbox.sms-transport';

describe(DevOutbox.name, () => {
  it('lists newest first, with the time from the clock', () => {
    const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));
    const outbox = new DevOutbox({ clock });
    outbox.put({ channel: 'sms', to: '+447700900123', body: 'first' });
    clock.advance(1000);
    outbox.put({ channel: 'email', to: 'a@example.test', subject: 'Hi', body: 'second' });

    const listed = outbox.list();
    expect(listed.map((m) => m.body)).toEqual(['second', 'first']);
    expect(listed[0]).toMatchObject({ channel: 'email', subject: 'Hi', createdAt: new Date('2026-01-01T00:00:01Z') });
    expect(new Set(listed.map((m) => m.id)).size).toBe(2);
  });

  it('keeps only the newest messages up to its capacity', () => {
    const outbox = new DevOutbox({ capacity: 3 });
    for (let i = 1; i <= 5; i++) outbox.put({ channel: 'sms', to: '+447700900123', body: `message ${i}` });

    expect(outbox.list().map((m) => m.body)).toEqual(['message 5', 'message 4', 'message 3']);
  });

  it('filters by channel and recipient, and clears', () => {
    const outbox = new DevOutbox();
    outbox.put({ channel: 'sms', to: '+447700900123', body: 'sms' });
    outbox.put({ channel: 'email', to: 'Jane@Example.test', subject: 's', body: 'mail' });

    expect(outbox.list({ channel: 'sms' }).map((m) => m.body)).toEqual(['sms']);
    expect(outbox.list({ to: 'jane@example.test' }).map((m) => m.body)).toEqual(['mail']);
    outbox.clear();
    expect(outbox.list()).toEqual([]);
  });
});

describe(maskRecipient.name, () => {
  it('keeps just enough to tell recipients apart', () => {
    expect(maskRecipient('+447700900123')).toBe('•••123');
    expect(maskRecipient('jane@example.test')).toBe('j•••@example.test');
  });
});

describe('outbox transports', () => {
  function setUp() {
    const outbox = new DevOutbox();
    const lines: string[] = [];
    const logger = { log: (line: string) => void lines.push(line) };
    return { outbox, lines, sms: new OutboxSmsTransport(outbox, logger), email: new OutboxEmailTransport(outbox, logger) };
  }

  it('captures an SMS and logs one line that points at the outbox, not the code', async () => {
    const { outbox, lines, sms } = setUp();

    const result = await sms.send({ to: '+447700900123', body: 'Your code is 123456' });

    const [stored] = outbox.list();
    expect(stored).toMatchObject({ channel: 'sms', to: '+447700900123', body: 'Your code is 123456' });
    expect(result).toEqual({ provider: 'outbox', providerId: stored.id, status: 'captured' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('GET /dev/outbox');
    expect(lines[0]).not.toContain('123456');
    expect(lines[0]).not.toContain('+447700900123');
  });

  it('captures an email with subject, text and html and logs without them', async () => {
    const { outbox, lines, email } = setUp();

    await email.send({ to: 'jane@example.test', subject: 'Code 654321', text: 'Your code is 654321', html: '<b>654321</b>' });

    expect(outbox.list()[0]).toMatchObject({
      channel: 'email',
      to: 'jane@example.test',
      subject: 'Code 654321',
      body: 'Your code is 654321',
      html: '<b>654321</b>',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('GET /dev/outbox');
    expect(lines[0]).not.toContain('654321');
  });
});
