/**
 * Prints one plain closing line, "N passed, N failed" (", N skipped" when any were skipped), after
 * jest's own summary, so CI logs can be read by any tool without parsing jest's format.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const suitesFailed = results.numFailedTestSuites - countSuitesWithFailedTests(results);
    const failed = results.numFailedTests + Math.max(0, suitesFailed);
    process.stdout.write(
      `\n${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
    // npm test runs jest twice (the browser tests on their own); .ci/run adds the runs up.
    if (process.env.JEST_SUMMARY_FILE) {
      require('node:fs').appendFileSync(
        process.env.JEST_SUMMARY_FILE,
        `${results.numPassedTests} ${failed} ${skipped}\n`,
      );
    }
  }
}

/** A suite that fails to load has no failed tests of its own; count it as one failure. */
function countSuitesWithFailedTests(results) {
  return results.testResults.filter((r) => r.numFailingTests > 0).length;
}

module.exports = SummaryReporter;
