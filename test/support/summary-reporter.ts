/**
 * Prints one plain closing line, "Summary: N passed, N failed, N skipped", after vitest's
 * own summary: a line any CI log reader understands, whatever the runner.
 */

// The few fields used here, typed locally: vitest/node's own declarations need @types/debug.
type RunnerTask = { type: string; tasks?: RunnerTask[]; result?: { state?: string } };
type RunnerTestFile = RunnerTask & { tasks: RunnerTask[] };

function count(tasks: RunnerTask[], totals: { passed: number; failed: number; skipped: number }): void {
  for (const task of tasks) {
    if (task.type === 'suite') {
      count(task.tasks ?? [], totals);
      continue;
    }
    const state = task.result?.state;
    if (state === 'pass') totals.passed++;
    else if (state === 'fail') totals.failed++;
    else totals.skipped++;
  }
}

export default class SummaryReporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    count(files, totals);
    // A file that failed to load has no tests but is a failure all the same.
    totals.failed += files.filter((f) => f.result?.state === 'fail' && f.tasks.length === 0).length + errors.length;
    process.stdout.write(`\nSummary: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  }
}
