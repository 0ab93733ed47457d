/**
 * The GitHub Action: a thin front end over src/audit.ts, like the CLI. Inputs (action.yml,
 * ../shared/CONTRACT.md) -> the audit -> the job summary (Markdown, within GitHub's cap),
 * annotations for the worst findings, SARIF / JSON / baseline files, step outputs, and a
 * failed step per `fail-on`. Credentials come from the environment as
 * aws-actions/configure-aws-credentials leaves them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN, AWS_REGION / AWS_DEFAULT_REGION); the SDK's default chain reads them.
 */
import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxTimeReachedLine, maxTimeSignal, runAudit, type AuditResult } from '../audit.js';
import { nextBaseline } from '../engine/baseline.js';
import { failingFindings } from '../engine/severity.js';
import { errorLine, LbcheckError } from '../errors.js';
import { checkOutputWritable, writeOutput } from '../fs.js';
import type { Progress } from '../progress.js';
import { renderReport, reportChunks, type AuditReport, type RenderContext } from '../report/index.js';
import { safeStderrText } from '../text-safety.js';
import { allRules } from '../../rules/index.js';
import { auditOptionsFromInputs, readInputs, type ActionInputs } from './inputs.js';
import { annotate } from './annotations.js';
import { summaryMarkdown } from './summary.js';
import { scavengeOnMainThread } from '../scavenge.js';

/**
 * Progress into the step's log: steps as lines, warnings as lines, debug only with ACTIONS_STEP_DEBUG. Each line as
 * the CLI writes its stderr (safeStderrText): logs are shared, so URL credentials are redacted, and control characters
 * are escaped (a newline in text from outside would start a line of its own, which GitHub could read as a workflow command).
 */
const actionProgress: Progress = {
  step: (message) => core.info(safeStderrText(message)),
  // A log line, not a warning annotation: GitHub shows only about 10 per step, and they belong to findings.
  warn: (message) => core.info(`warning: ${safeStderrText(message)}`),
  debug: (message) => core.debug(safeStderrText(message)),
};

/** Fails the step with one line, made safe as every other line the Action writes. */
function failStep(line: string): void {
  core.setFailed(`lbcheck: ${safeStderrText(line)}`);
}

async function writeOutputs(inputs: ActionInputs, result: AuditResult, context: RenderContext): Promise<{ reportJson: string }> {
  const { report } = result;
  const reportJson = inputs.reportJson ?? join(process.env.RUNNER_TEMP ?? tmpdir(), 'lbcheck-report.json');
  await writeOutput(reportJson, reportChunks('json', report, context));
  if (inputs.sarifFile !== undefined) await writeOutput(inputs.sarifFile, reportChunks('sarif', report, context));
  if (inputs.htmlFile !== undefined) await writeOutput(inputs.htmlFile, reportChunks('html', report, context));
  // As the CLI: not from an audit that checked nothing or that max-time cut short (what it missed would read as fixed).
  if (inputs.writeBaseline !== undefined && !result.nothingChecked && !result.stopped) {
    const previous = inputs.baseline;
    await writeOutput(inputs.writeBaseline, nextBaseline(report.findings, previous && { baseline: previous, fixed: report.baseline?.fixed ?? [] }));
  }
  return { reportJson };
}

function setOutputs(report: AuditReport, files: { reportJson: string; sarifFile?: string; htmlFile?: string }): void {
  core.setOutput('errors', report.summary.errors);
  core.setOutput('warnings', report.summary.warnings);
  core.setOutput('infos', report.summary.infos);
  core.setOutput('new-findings', report.summary.newFindings);
  core.setOutput('fixed-findings', report.baseline?.fixed.length ?? 0);
  core.setOutput('report-json', files.reportJson);
  core.setOutput('sarif-file', files.sarifFile ?? '');
  core.setOutput('html-file', files.htmlFile ?? '');
}

export async function run(): Promise<void> {
  const rules = allRules();
  const inputs = await readInputs(rules);
  // Every file the step will write, checked before any AWS call.
  for (const path of [inputs.sarifFile, inputs.htmlFile, inputs.writeBaseline, inputs.reportJson]) if (path !== undefined) await checkOutputWritable(path);
  // Checked (regions, role-arn) before max-time starts: a bad input must end the step, not leave the timer holding it for max-time.
  const auditOptions = auditOptionsFromInputs(inputs, rules);
  // max-time bounds the audit as the CLI's --max-time does: the calls in flight end, the report holds what was collected.
  const deadline = maxTimeSignal(inputs.maxTime);
  const result = await runAudit({ ...auditOptions, signal: deadline.signal }, actionProgress).finally(deadline.clear);
  const { report } = result;
  const context: RenderContext = { rules: rules.map((rule) => rule.meta), inventory: result.inventory, ...(inputs.sarifCategory !== undefined && { sarifCategory: inputs.sarifCategory }) };

  const files = await writeOutputs(inputs, result, context);
  core.info(renderReport(inputs.format, report, context).trimEnd());
  const annotated = annotate(report);
  await core.summary.addRaw(summaryMarkdown(report, context, annotated.notShown)).write();
  setOutputs(report, { ...files, ...(inputs.sarifFile !== undefined && { sarifFile: inputs.sarifFile }), ...(inputs.htmlFile !== undefined && { htmlFile: inputs.htmlFile }) });

  if (result.stopped) {
    failStep(maxTimeReachedLine(`max-time ${inputs.maxTime.text}`, result.stopped));
    return;
  }
  if (result.nothingChecked) {
    const first = report.notChecked[0];
    failStep(`nothing could be checked${first ? `: ${first.what}: ${first.why}` : ''}`);
    return;
  }
  const failed = result.failedListings[0];
  if (failed) {
    // As the CLI's exit 2: the audit cannot vouch for what it never saw.
    failStep(`load balancers could not be listed, so the audit is incomplete: ${failed.what}: ${failed.why}`);
    return;
  }
  const count = failingFindings(report.findings, inputs.failOn).length;
  if (count > 0) failStep(`${count} ${report.baseline ? 'new ' : ''}finding${count === 1 ? '' : 's'} at or above ${inputs.failOn}`);
}

scavengeOnMainThread();
run().catch((error: unknown) => {
  // Bad input is one line; anything else says it is lbcheck's fault.
  failStep(error instanceof LbcheckError ? errorLine(error) : `internal error: ${errorLine(error)}`);
});
