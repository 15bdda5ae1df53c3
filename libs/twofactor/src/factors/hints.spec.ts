import { maskEmail, maskPhone } from './hints';

describe('hints', () => {
  it('masks a UK mobile number down to its last three digits', () => {
    expect(maskPhone('+447700900123', '44')).toBe('+44 ••••• ••123');
  });

  it('masks an email down to its first letter and domain', () => {
    expect(maskEmail('jane@example.com')).toBe('j•••@example.com');
    expect(maskEmail('broken')).toBe('•••');
  });
});
