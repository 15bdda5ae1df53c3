import { isCommonPassword, passwordProblem } from './password-policy';

describe('password policy', () => {
  it.each(['password1234', 'Password123456', 'qwerty123456', '123qweasdzxc', 'aaaaaaaaaaaaaa', 'abababababab'])(
    'refuses the common or trivial %s',
    (password) => expect(isCommonPassword(password)).toBe(true),
  );

  it.each(['correct horse battery staple', 'Vx7!pQ2#rT9w', 'my clinic rota is full'])('accepts %s', (password) =>
    expect(passwordProblem(password)).toBeNull(),
  );

  it('enforces 12 to 128 characters', () => {
    expect(passwordProblem('Vx7!pQ2#rT9')).toMatch(/12–128/);
    expect(passwordProblem('Vx7!pQ2#rT9w'.repeat(11))).toMatch(/12–128/);
    expect(passwordProblem(42)).toMatch(/string/);
  });
});
