import { DataSource } from 'typeorm';
import type { TestContext } from './test-app';

/** Asks for a reset and reads the token back from the email the customer gets (newest first). */
export async function requestReset(ctx: TestContext, email: string): Promise<string> {
  const before = ctx.smtp.messages.length;
  await ctx.http.post('/auth/password/forgot').send({ email }).expect(202);
  const mail = await ctx.smtp.waitFor((m) => m.to.includes(email) && m.subject === 'Reset your password' && ctx.smtp.messages.indexOf(m) >= before);
  const token = /token=([^\s]+)/.exec(mail.text ?? '')?.[1];
  if (!token) throw new Error('no reset token in the email');
  return decodeURIComponent(token);
}

/** The notice with this subject sent to the customer (waits for it). */
export function noticeTo(ctx: TestContext, email: string, subject: string) {
  return ctx.smtp.waitFor((m) => m.to.includes(email) && m.subject === subject);
}

export function database(ctx: TestContext): DataSource {
  return ctx.app.get(DataSource);
}

/** The customer's audit events of one type, oldest first. */
export async function auditEvents(ctx: TestContext, customerId: string, type: string): Promise<{ actor_type: string; reason: string | null; data: Record<string, unknown> }[]> {
  return database(ctx).query(`SELECT actor_type, reason, data FROM audit_events WHERE subject_id = $1 AND type = $2 ORDER BY seq`, [customerId, type]);
}

export async function customerId(ctx: TestContext, email: string): Promise<string> {
  const [row] = await database(ctx).query(`SELECT id FROM customers WHERE email = $1`, [email]);
  return row.id;
}
