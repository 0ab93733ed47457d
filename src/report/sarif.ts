/**
 * SARIF 2.1.0 for GitHub code scanning (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning).
 * AWS resources have no source file, so each result gets a stable synthetic location
 * `aws/<account>/<region>/<kind>/<name>`, line 1, and `partialFingerprints.primaryLocationLineHash`
 * from the finding fingerprint (GitHub follows an alert across runs with it).
 * `automationDetails.id` carries the category (per account and region, or the one the user
 * gives) so uploads from several accounts do not replace each other. Every rule carries its
 * full help, so no link has to resolve; what could not be checked becomes a tool execution
 * notification, and a failed load-balancer listing makes the run unsuccessful.
 */
import { createHash } from 'node:crypto';
import type { ReportFinding } from '../engine/runner.js';
import type { RuleMeta, Severity } from '../engine/types.js';
import type { NotChecked } from '../inventory/model.js';
import { isFailedListing } from '../engine/coverage.js';
import { ruleDocsUrl } from '../engine/docs.js';
import { PROJECT_URL, TOOL_NAME, VERSION } from '../version.js';
import { escapeControlCharacters } from '../text-safety.js';
import { evidenceLine } from './evidence.js';
import type { AuditReport, RenderContext } from './report.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/**
 * SARIF's level for a severity. A comparison, not a lookup by key: V8 specialises a keyed lookup
 * on the first key it sees, and the first result of the next severity would throw away the
 * compiled `result` ("wrong name") for it to be compiled again.
 */
function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'info' ? 'note' : severity;
}

const SENTENCE_ENDS = new Set(['.', '!', '?']);

/** `text` trimmed, with a full stop unless it ends a sentence already (its last character tells: no regex to run over it). */
function sentence(text: string): string {
  const trimmed = text.trim();
  return SENTENCE_ENDS.has(trimmed.at(-1) ?? '') ? trimmed : `${trimmed}.`;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The synthetic file a finding lives in; each segment URI-encoded so names with odd characters stay one segment. */
export function resourceUri(finding: ReportFinding): string {
  const { resource } = finding;
  const segment = encodeURIComponent;
  return `aws/${segment(resource.account ?? 'unknown')}/${segment(resource.region)}/${segment(resource.type)}/${segment(resource.name)}`;
}

/**
 * One part of the default category: the value itself when there is one, else the values
 * joined while short, else their count and a hash (stable for the same set).
 */
function categoryPart(values: readonly string[], noun: string): string {
  if (values.length === 0) return `no-${noun}`;
  const joined = values.join('+');
  if (joined.length <= 60) return joined;
  return `${values.length}-${noun}-${createHash('sha256').update(joined).digest('hex').slice(0, 8)}`;
}

/**
 * The run's category: GitHub keeps the latest upload per category, so a matrix of
 * shards (one account or region each) must not share one. An explicit category wins.
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#runautomationdetails-object
 */
export function sarifCategory(report: Pick<AuditReport, 'scope'>, explicit?: string): string {
  if (explicit !== undefined && explicit.trim() !== '') return explicit.trim().replace(/\/?$/, '/');
  return `${TOOL_NAME}/${categoryPart(report.scope.accounts, 'accounts')}/${categoryPart(report.scope.regions, 'regions')}/`;
}

function helpMarkdown(meta: RuleMeta): string {
  const parts = [meta.description.trim(), `**Why it matters.** ${meta.rationale.trim()}`, `**How to fix it.** ${meta.remediation.text.trim()}`];
  if (meta.remediation.cli) parts.push(['```sh', meta.remediation.cli.trimEnd(), '```'].join('\n'));
  if (meta.remediation.iac) parts.push(['```', meta.remediation.iac.trimEnd(), '```'].join('\n'));
  if (meta.references.length > 0) parts.push(['**References**', '', ...meta.references.map((ref) => `- [${ref.title}](${ref.url})`)].join('\n'));
  return parts.join('\n\n');
}

function helpText(meta: RuleMeta): string {
  const parts = [sentence(meta.description), `Why it matters: ${sentence(meta.rationale)}`, `How to fix it: ${sentence(meta.remediation.text)}`];
  if (meta.remediation.cli) parts.push(meta.remediation.cli.trim());
  if (meta.references.length > 0) parts.push(`References: ${meta.references.map((ref) => `${ref.title} <${ref.url}>`).join('; ')}`);
  return parts.join('\n\n');
}

function ruleDescriptor(meta: RuleMeta) {
  const name = pascalCase(meta.id);
  const helpUri = ruleDocsUrl(meta.id);
  return {
    id: meta.id,
    // SARIF1001: a name that only restates the id (a one-word id) is left out.
    ...(name.toLowerCase() !== meta.id.toLowerCase() && { name }),
    shortDescription: { text: sentence(meta.title) },
    fullDescription: { text: sentence(meta.description) },
    ...(helpUri !== undefined && { helpUri }),
    help: { text: helpText(meta), markdown: helpMarkdown(meta) },
    defaultConfiguration: { level: sarifLevel(meta.defaultSeverity) },
    properties: { tags: ['aws', 'load-balancer', meta.category, meta.source], 'problem.severity': meta.defaultSeverity === 'info' ? 'recommendation' : meta.defaultSeverity },
  };
}

function notification(entry: NotChecked) {
  const where = [entry.account, entry.region].filter(Boolean).join('/');
  return {
    level: 'warning',
    message: { text: escapeControlCharacters(sentence(`Not checked${where ? ` in ${where}` : ''}: ${entry.what}: ${entry.why}`)) },
    properties: { ...entry },
  };
}

/**
 * One result, every object of one shape whatever the finding: a property that does not apply is
 * undefined, which JSON.stringify leaves out as if it were not there (this object is only ever stringified).
 */
function result(finding: ReportFinding, ruleIndex: ReadonlyMap<string, number>) {
  const { resource } = finding;
  const evidence = evidenceLine(finding.evidence, 400);
  return {
    ruleId: finding.ruleId,
    ruleIndex: ruleIndex.get(finding.ruleId),
    level: sarifLevel(finding.severity),
    // GitHub shows the message as text: names and AWS errors in it must not reorder or hide what it says.
    message: { text: escapeControlCharacters(`${sentence(finding.message)} Fix: ${sentence(finding.fix)}${evidence ? ` Evidence: ${evidence}` : ''}`) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: resourceUri(finding) }, region: { startLine: 1 } },
        logicalLocations: [{ fullyQualifiedName: resource.arn, kind: 'resource' }],
      },
    ],
    partialFingerprints: { primaryLocationLineHash: finding.fingerprint },
    properties: {
      resourceArn: resource.arn,
      account: resource.account,
      region: resource.region,
      fix: finding.fix,
      related: finding.related,
      evidence: finding.evidence,
      new: finding.new,
    },
  };
}

export function* sarifChunks(report: AuditReport, context: RenderContext): Generator<string> {
  const rules = [...context.rules].sort((a, b) => a.id.localeCompare(b.id, 'en'));
  const ruleIndex = new Map(rules.map((meta, i) => [meta.id, i]));
  const driver = {
    name: TOOL_NAME,
    version: VERSION,
    semanticVersion: VERSION,
    ...(PROJECT_URL !== undefined && { informationUri: PROJECT_URL }),
    rules: rules.map(ruleDescriptor),
  };
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        automationDetails: { id: sarifCategory(report, context.sarifCategory) },
        invocations: [
          {
            executionSuccessful: !report.notChecked.some(isFailedListing),
            toolExecutionNotifications: report.notChecked.map(notification),
          },
        ],
        // Written apart (resultsJson) and put in place of this empty list.
        results: [],
        columnKind: 'utf16CodeUnits',
        properties: { scope: report.scope },
      },
    ],
  };
  // Compact: a machine format (code scanning, SARIF viewers), a third smaller than indented.
  const document = JSON.stringify(sarif);
  // Quotes inside a string value are escaped, so this can only be the run's own key.
  const at = document.indexOf(RESULTS_KEY);
  if (at === -1) throw new Error(`SARIF: no ${RESULTS_KEY} to fill`);
  const after = at + RESULTS_KEY.length;
  yield document.slice(0, after - 1);
  yield* resultsJson(report.findings, ruleIndex);
  yield `${document.slice(after - 1)}\n`;
}

/** `runs[0].results` as JSON.stringify(sarif) writes it when empty. */
const RESULTS_KEY = '"results":[]';
/** Results per JSON.stringify call (see resultsJson), about 30 KB of text: measured at 10,000 LBs, 8 and 16 cost half what 24 to 64 cost once the text is written out. */
const RESULTS_PER_CHUNK = 16;

/**
 * The items of the results list (what goes between its brackets), the same bytes as
 * stringifying the list in place, but a chunk of results at a time: only one chunk's result
 * objects are alive at once, and no string of the whole list is made.
 */
function* resultsJson(findings: readonly ReportFinding[], ruleIndex: ReadonlyMap<string, number>): Generator<string> {
  for (let start = 0; start < findings.length; start += RESULTS_PER_CHUNK) {
    const list = JSON.stringify(findings.slice(start, start + RESULTS_PER_CHUNK).map((finding) => result(finding, ruleIndex)));
    yield `${start === 0 ? '' : ','}${list.slice(1, -1)}`;
  }
}
