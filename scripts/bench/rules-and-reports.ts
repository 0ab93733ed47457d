/**
 * Child process of `npm run bench`: reads a snapshot, runs every rule, writes every report
 * format to a file as `lbcheck audit --output` does, and prints what each step cost and the
 * process's peak memory as one JSON line. A process of its own so its peak memory is its own;
 * bench.ts bundles it first, as the CLI is bundled.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rules } from '../../rules/index.js';
import { runEngine } from '../../src/engine/runner.js';
import { readSnapshot } from '../../src/inventory/snapshot.js';
import { writeOutput } from '../../src/fs.js';
import { scavengeOnMainThread } from '../../src/scavenge.js';
import { buildReport, reportChunks, type ReportFormat } from '../../src/report/index.js';

/** The formats of issue 10's target; HTML (issue 12, later) is measured apart: `rules-and-reports.ts SNAPSHOT html`. */
const DEFAULT_FORMATS: ReportFormat[] = ['json', 'sarif', 'markdown', 'text'];

// As the CLI and the Action run (src/cli/bin.ts, src/action/main.ts).
scavengeOnMainThread();
const path = process.argv[2];
if (!path) throw new Error('usage: rules-and-reports.ts SNAPSHOT [FORMAT,...]');
const formats = (process.argv[3]?.split(',') as ReportFormat[] | undefined) ?? DEFAULT_FORMATS;
/** CPU time of this process so far, ms, all threads: what a step costs whatever else the machine runs. */
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
/** Of it, the kernel's (mostly first touches of new memory: the heap growing, large strings). */
const systemCpu = () => process.cpuUsage().system / 1000;
const t0 = performance.now();
const c0 = cpu();
const inventory = await readSnapshot(path);
const t1 = performance.now();
const c1 = cpu();
const s1 = systemCpu();
const result = runEngine({ inventory, rules });
const t2 = performance.now();
const c2 = cpu();
const report = buildReport({ inventory, result, durationMs: t2 - t0 });
const out = mkdtempSync(join(tmpdir(), 'lbcheck-bench-reports-'));
const files = formats.map((format) => join(out, `report.${format}`));
// Each report to its file, as the CLI writes it; with the inventory, as the CLI passes it: HTML draws each load balancer's network path from it.
for (const [i, format] of formats.entries()) await writeOutput(files[i] as string, reportChunks(format, report, { rules: rules.map((rule) => rule.meta), inventory }));
const t3 = performance.now();
const c3 = cpu();
const s3 = systemCpu();
const usage = process.resourceUsage();
// Sized once written, outside the measured steps (the CLI counts nothing as it writes).
const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
rmSync(out, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    readMs: t1 - t0,
    rulesMs: t2 - t1,
    reportsMs: t3 - t2,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    readCpuMs: c1 - c0,
    rulesAndReportsCpuMs: c3 - c1,
    rulesCpuMs: c2 - c1,
    reportsCpuMs: c3 - c2,
    rulesAndReportsSystemCpuMs: s3 - s1,
    maxRssMb: usage.maxRSS / 1024,
    findings: result.findings.length,
    formats,
    bytes,
  })}\n`,
);
