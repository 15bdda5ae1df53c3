export interface JestReport {
  testResults?: { name: string; assertionResults?: { status: string; fullName: string }[] }[];
}
export function skippedTests(report: JestReport): string[];
export function skippedTestsIn(path: string): string[];
