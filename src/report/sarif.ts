/**
 * SARIF 2.1.0 for GitHub code scanning. AWS resources have no source file, so each
 * result gets a stable synthetic location `aws/<account>/<region>/<kind>/<name>`,
 * line 1, and `partialFingerprints.primaryLocationLineHash` from the finding
 * fingerprint (GitHub uses it to follow an alert across runs). Every registered rule
 * is listed in tool.driver.rules, with its page as helpUri.
 */
import { ruleDocsUrl } from '../engine/docs.js';
import type { ReportFinding } from '../engine/runner.js';
import type { RuleMeta, Severity } from '../engine/types.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { evidenceLine } from './evidence.js';
import type { AuditReport, RenderContext } from './report.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const INFORMATION_URI = 'https://github.com/lbcheck/lbcheck';

const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The synthetic file a finding lives in; each segment URI-encoded so names with odd characters stay one segment. */
export function resourceUri(finding: ReportFinding): string {
  const { resource } = finding;
  return ['aws', resource.account ?? 'unknown', resource.region, resource.type, resource.name].map((part) => encodeURIComponent(part)).join('/');
}

function ruleDescriptor(meta: RuleMeta) {
  const remediation = [meta.remediation.text, meta.remediation.cli && `\n\`\`\`sh\n${meta.remediation.cli}\n\`\`\``].filter(Boolean).join('\n');
  const name = pascalCase(meta.id);
  return {
    id: meta.id,
    // SARIF1001: a name that only restates the id (a one-word id) is left out.
    ...(name.toLowerCase() !== meta.id.toLowerCase() && { name }),
    shortDescription: { text: sentence(meta.title) },
    fullDescription: { text: sentence(meta.description) },
    helpUri: ruleDocsUrl(meta.id),
    help: {
      text: `${sentence(meta.rationale)} Fix: ${sentence(meta.remediation.text)}`,
      markdown: `${meta.rationale}\n\n**Fix:** ${remediation}\n\n${meta.references.map((ref) => `- [${ref.title}](${ref.url})`).join('\n')}`,
    },
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: { tags: ['aws', 'load-balancer', meta.category, meta.source], 'problem.severity': meta.defaultSeverity === 'info' ? 'recommendation' : meta.defaultSeverity },
  };
}

export function renderSarif(report: AuditReport, context: RenderContext): string {
  const rules = [...context.rules].sort((a, b) => a.id.localeCompare(b.id, 'en'));
  const ruleIndex = new Map(rules.map((meta, i) => [meta.id, i]));
  const results = report.findings.map((finding) => {
    const index = ruleIndex.get(finding.ruleId);
    const evidence = evidenceLine(finding.evidence, 400);
    return {
      ruleId: finding.ruleId,
      ...(index !== undefined && { ruleIndex: index }),
      level: LEVEL[finding.severity],
      message: { text: `${sentence(finding.message)}${evidence ? ` Evidence: ${evidence}` : ''}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: resourceUri(finding) }, region: { startLine: 1 } },
          logicalLocations: [{ fullyQualifiedName: finding.resource.arn, kind: 'resource' }],
        },
      ],
      partialFingerprints: { primaryLocationLineHash: finding.fingerprint },
      properties: { resourceArn: finding.resource.arn, evidence: finding.evidence, ...(finding.new !== undefined && { new: finding.new }) },
    };
  });
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: VERSION, semanticVersion: VERSION, informationUri: INFORMATION_URI, rules: rules.map(ruleDescriptor) } },
        results,
        columnKind: 'utf16CodeUnits',
        properties: { scope: report.scope, notChecked: report.notChecked },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
