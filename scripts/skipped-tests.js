// Reads a Jest JSON report (--json --outputFile) and names every test that did not run: skipped
// (it.skip, describe.skip, a skipped suite), todo, or disabled. CI fails on any of them, so a test
// that cannot run there (no browser, no PostgreSQL) is a red build, not a silent green one.
const { readFileSync } = require('node:fs');

const NOT_RUN = new Set(['pending', 'skipped', 'todo', 'disabled']);

/** @param {{ testResults?: { name: string, assertionResults?: { status: string, fullName: string }[] }[] }} report */
function skippedTests(report) {
  return (report.testResults ?? []).flatMap((file) =>
    (file.assertionResults ?? []).filter((test) => NOT_RUN.has(test.status)).map((test) => `${test.status}: ${test.fullName} (${file.name})`),
  );
}

/** @param {string} path */
function skippedTestsIn(path) {
  return skippedTests(JSON.parse(readFileSync(path, 'utf8')));
}

module.exports = { skippedTests, skippedTestsIn };
