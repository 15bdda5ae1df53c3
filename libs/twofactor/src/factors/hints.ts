const DOT = '•';

/** +44 7700 900123 → "+44 ••••• ••123": enough to recognise one's own number, not to use it. */
export function maskPhone(e164: string, callingCode: string): string {
  const national = e164.slice(1 + callingCode.length);
  const visible = national.slice(-3);
  const hidden = DOT.repeat(Math.max(national.length - 3, 0));
  const grouped = hidden.length > 2 ? `${hidden.slice(0, hidden.length - 2)} ${hidden.slice(-2)}${visible}` : `${hidden}${visible}`;
  return `+${callingCode} ${grouped}`;
}

/** jane@example.com → "j•••@example.com". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return DOT.repeat(3);
  return `${email[0]}${DOT.repeat(3)}${email.slice(at)}`;
}
