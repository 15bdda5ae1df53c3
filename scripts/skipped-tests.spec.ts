import { skippedTests } from './skipped-tests';

describe('skippedTests (the CI rule: no test may be skipped)', () => {
  const file = (name: string, ...statuses: string[]) => ({
    name,
    assertionResults: statuses.map((status, i) => ({ status, fullName: `test ${i}` })),
  });

  it('names every skipped, todo or disabled test with its file', () => {
    const report = { testResults: [file('a.spec.ts', 'passed', 'pending'), file('b.spec.ts', 'todo', 'failed', 'disabled', 'skipped')] };
    expect(skippedTests(report)).toEqual([
      'pending: test 1 (a.spec.ts)',
      'todo: test 0 (b.spec.ts)',
      'disabled: test 2 (b.spec.ts)',
      'skipped: test 3 (b.spec.ts)',
    ]);
  });

  it('finds nothing when everything ran', () => {
    expect(skippedTests({ testResults: [file('a.spec.ts', 'passed', 'failed')] })).toEqual([]);
    expect(skippedTests({})).toEqual([]);
  });
});
