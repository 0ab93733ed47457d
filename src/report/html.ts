/**
 * The HTML report: one self-contained file (inline CSS, a small inline script, no fonts,
 * images or requests, so it opens from a downloaded CI artifact). The summary, what is
 * new and fixed against a baseline, filters (severity, rule, account, region: the page
 * reads fine without the script), what was not checked, then one section per load
 * balancer with its network path drawn as SVG (the broken link red and linked to its
 * finding), its probed addresses and its findings.
 */
import { createHash } from 'node:crypto';
import type { ReportFinding } from '../engine/runner.js';
import { LOAD_BALANCER_KIND_LABEL } from '../engine/targets.js';
import type { Severity } from '../engine/types.js';
import { plural } from '../words.js';
import { pathDiagram, loadBalancerPath } from './diagram.js';
import { escapeHtml as html } from './escape.js';
import { countsPhrase, evidenceEntries } from './evidence.js';
import { foldFindings, whereText, type FoldedFinding } from './fold.js';
import { failedAttempts, medianMs, outcomeSummary, UNKNOWN_PLACE } from './probe-text.js';
import { probeSummary, type AuditReport, type RenderContext } from './report.js';
import { loadBalancerSections, type LoadBalancerSection } from './sections.js';
import { rulesNotRun } from './text.js';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

const STYLE = `
:root{color-scheme:light;--error:#c62828;--warning:#b26a00;--info:#1565c0;--ok:#2e7d32;--line:#d0d7de;--muted:#57606a;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#fff}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0}h3{font-size:15px;margin:16px 0 8px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.muted{color:var(--muted)}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:120px;background:var(--bg)}
.card b{display:block;font-size:24px;line-height:1.2}
.card.error b{color:var(--error)}.card.warning b{color:var(--warning)}.card.info b{color:var(--info)}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.sev.error{background:var(--error)}.sev.warning{background:var(--warning)}.sev.info{background:var(--info)}
.new{display:inline-block;border:1px solid var(--error);color:var(--error);border-radius:10px;padding:0 6px;font-size:11px;font-weight:600}
#filters{display:flex;gap:16px;flex-wrap:wrap;align-items:center;padding:10px 12px;border:1px solid var(--line);border-radius:8px;background:var(--bg);margin:16px 0}
#filters label{white-space:nowrap}
section.lb{border:1px solid var(--line);border-radius:10px;margin:20px 0;padding:16px;background:#fff}
section.lb>header{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap;margin-bottom:8px}
.diagram{overflow-x:auto;margin:8px 0 12px;border:1px solid var(--line);border-radius:8px;background:var(--bg)}
svg.path{display:block;margin:0 auto;font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
svg .node rect{fill:#fff;stroke:#8c959f;stroke-width:1.2}
svg .node.lb rect{fill:#eef4ff;stroke:#0969da}
svg .node.az rect{fill:#fff}
svg .node.gw-igw rect{fill:#eafbea;stroke:var(--ok)}
svg .node.broken rect{fill:#fff0f0;stroke:var(--error);stroke-width:2.2}
svg text{fill:#1f2328}
svg text.title{font-weight:600;font-size:13px}
svg text.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11.5px}
svg text.small{font-size:11px;fill:#57606a}
svg text.good{fill:var(--ok)}svg text.bad{fill:var(--error);font-weight:600}
svg .link{stroke:#8c959f;stroke-width:1.5}
svg .link.broken{stroke:var(--error);stroke-width:3;stroke-dasharray:7 4}
svg .cross line{stroke:var(--error);stroke-width:3}
svg text.link-label{font-size:11px;font-weight:600;fill:var(--error)}
svg a.flag-link{cursor:pointer}
article.finding{border-left:4px solid var(--line);padding:6px 12px;margin:10px 0;background:#fff}
article.finding.error{border-color:var(--error)}article.finding.warning{border-color:var(--warning)}article.finding.info{border-color:var(--info)}
article.finding:target{background:#fff8c5}
article.finding h4{margin:0;font-size:14px;display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
article.finding p{margin:4px 0}
.fix{background:var(--bg);border-radius:6px;padding:4px 8px}
details summary{cursor:pointer;color:var(--muted)}
dl.evidence{margin:4px 0;display:grid;grid-template-columns:max-content 1fr;gap:0 12px;font-size:12.5px}
dl.evidence dt{color:var(--muted)}dl.evidence dd{margin:0;word-break:break-all;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
tr.bad td{color:var(--error)}
[hidden]{display:none!important}
`;

/** Filters by severity, rule, account and region. Without the script every finding shows and the controls stay hidden. */
const SCRIPT = `(function(){
var form=document.getElementById('filters');if(!form)return;form.hidden=false;
function apply(){
var sev={};form.querySelectorAll('input[name=severity]').forEach(function(i){sev[i.value]=i.checked});
var rule=form.rule.value,account=form.account.value,region=form.region.value,shown=0;
document.querySelectorAll('section.lb').forEach(function(s){
var scope=(!account||s.dataset.account===account)&&(!region||s.dataset.region===region),any=false;
s.querySelectorAll('article.finding').forEach(function(f){var ok=scope&&sev[f.dataset.severity]&&(!rule||f.dataset.rule===rule);f.hidden=!ok;if(ok){any=true;shown++}});
s.hidden=!scope||(!any&&s.querySelectorAll('article.finding').length>0);});
document.getElementById('shown').textContent=shown+' shown';}
form.addEventListener('change',apply);apply();})();`;

const scriptHash = `sha256-${createHash('sha256').update(SCRIPT).digest('base64')}`;

function severityBadge(severity: Severity): string {
  return `<span class="sev ${severity}">${severity}</span>`;
}

function evidenceHtml(finding: ReportFinding): string {
  const entries = evidenceEntries(finding.evidence);
  if (entries.length === 0) return '';
  const rows = entries
    .map((entry) => {
      const indent = entry.depth > 0 ? ` style="padding-left:${entry.depth * 14}px"` : '';
      return `<dt${indent}>${html(entry.label)}</dt><dd>${html(entry.value)}</dd>`;
    })
    .join('');
  return `<details><summary>Evidence</summary><dl class="evidence">${rows}</dl><p class="muted mono">fingerprint ${html(finding.fingerprint)}</p></details>`;
}

function findingHtml(fold: FoldedFinding, section: LoadBalancerSection): string {
  const { finding } = fold;
  const where = whereText(fold, section.loadBalancer?.arn);
  const places = fold.places.length > 1 ? `<p class="muted">${fold.places[0]?.kind === 'subnet' ? 'Subnets' : 'Target groups'}: ${fold.places.map((place) => `<code>${html(place.label)}</code>`).join(', ')}</p>` : '';
  const anchors = fold.findings.slice(1).map((other) => `<span id="finding-${html(other.fingerprint)}"></span>`).join('');
  return (
    `<article class="finding ${finding.severity}" id="finding-${html(finding.fingerprint)}" data-severity="${finding.severity}" data-rule="${html(finding.ruleId)}">${anchors}` +
    `<h4>${severityBadge(finding.severity)}<code>${html(finding.ruleId)}</code>${where ? `<span class="muted">${html(where)}</span>` : ''}${finding.new === true ? '<span class="new">new</span>' : ''}</h4>` +
    `<p>${html(finding.message)}</p><p class="fix"><b>Fix:</b> ${html(finding.fix)}</p>${places}${fold.findings.map(evidenceHtml).join('')}</article>`
  );
}

function probeTableHtml(section: LoadBalancerSection): string {
  if (section.probeTargets.length === 0) return '';
  const rows = section.probeTargets.flatMap((target) =>
    target.skipped
      ? [`<tr><td class="mono">${html(target.host)}:${target.port}</td><td colspan="7" class="muted">skipped: ${html(target.skipped)}</td></tr>`]
      : target.addresses.map(
          (address) =>
            `<tr${failedAttempts(address) > 0 ? ' class="bad"' : ''}><td class="mono">${html(address.ip)}:${target.port}</td><td>${html(address.az ?? UNKNOWN_PLACE)}</td><td class="mono">${html(address.subnetId ?? UNKNOWN_PLACE)}</td>` +
            `<td>${html(outcomeSummary(address))}</td><td class="num">${medianMs(address, (a) => a.connectMs)}</td><td class="num">${medianMs(address, (a) => a.tlsMs)}</td><td class="num">${medianMs(address, (a) => a.firstByteMs)}</td>` +
            `<td>${[...new Set(address.attempts.flatMap((a) => (a.status ? [a.status] : [])))].join('/') || '-'}</td></tr>`,
        ),
  );
  return `<h3>Probe</h3><table class="probe"><thead><tr><th>Address</th><th>AZ</th><th>Subnet</th><th>Result</th><th>Connect ms</th><th>TLS ms</th><th>First byte ms</th><th>HTTP</th></tr></thead><tbody>${rows.join('')}</tbody></table><p class="muted">Times are medians over the attempts, in ms from the start of each attempt.</p>`;
}

function sectionHtml(section: LoadBalancerSection): string {
  const lb = section.loadBalancer;
  const counts = SEVERITIES.filter((severity) => section.counts[severity] > 0).map((severity) => `${severityBadge(severity)} ${section.counts[severity]}`);
  const header = lb
    ? `<header><h2>${html(lb.name)}</h2><span class="muted">${section.inventory ? `${html(section.inventory.lb.scheme)} ` : ''}${LOAD_BALANCER_KIND_LABEL[lb.kind]} · ${html(lb.region)}${lb.account ? ` · ${html(lb.account)}` : ''}</span><span>${counts.join(' ') || '<span class="muted">no findings</span>'}</span></header><p class="muted mono">${html(lb.arn)}</p>`
    : `<header><h2>Other resources</h2><span>${counts.join(' ')}</span></header>`;
  const diagram = section.inventory
    ? `<div class="diagram">${pathDiagram(loadBalancerPath(section.inventory.lb, section.inventory.scope, section.probeTargets), section.findings, html)}</div><p class="muted legend">Each AZ node: its probed addresses (port, attempts, median connect/TLS/first-byte ms), subnet and network ACL, effective route table and where its default route goes, and the healthy/total targets in that AZ. Red is what a finding says is broken: click it for the finding.</p>`
    : '';
  const data = `data-account="${html(lb?.account ?? '')}" data-region="${html(lb?.region ?? '')}"`;
  const id = lb ? ` id="lb-${html(lb.name)}-${html(lb.arn.split('/').pop() ?? '')}"` : '';
  return `<section class="lb"${id} ${data}>${header}${diagram}${probeTableHtml(section)}${foldFindings(section.findings).map((fold) => findingHtml(fold, section)).join('')}</section>`;
}

function option(value: string, label = value): string {
  return `<option value="${html(value)}">${html(label)}</option>`;
}

function filtersHtml(report: AuditReport, sections: readonly LoadBalancerSection[]): string {
  const rules = [...new Set(report.findings.map((finding) => finding.ruleId))].sort();
  const accounts = [...new Set(sections.flatMap((section) => (section.loadBalancer?.account ? [section.loadBalancer.account] : [])))].sort();
  const regions = [...new Set(sections.flatMap((section) => (section.loadBalancer ? [section.loadBalancer.region] : [])))].sort();
  const severities = SEVERITIES.map((severity) => `<label><input type="checkbox" name="severity" value="${severity}" checked> ${severity}</label>`).join('');
  const select = (name: string, all: string, values: string[]) => `<label>${name} <select name="${name}">${option('', all)}${values.map((value) => option(value)).join('')}</select></label>`;
  return `<form id="filters" hidden>${severities}${select('rule', 'every rule', rules)}${select('account', 'every account', accounts)}${select('region', 'every region', regions)}<span id="shown" class="muted"></span></form>`;
}

interface FixedEntry {
  ruleId?: string;
  fingerprint?: string;
  resource?: { name?: string; type?: string };
}

function baselineHtml(report: AuditReport): string {
  if (!report.baseline) return '';
  const fixed = ((report.baseline as { fixed?: FixedEntry[] }).fixed ?? []).filter((entry) => typeof entry === 'object' && entry !== null);
  const fresh = report.findings.filter((finding) => finding.new === true);
  const newList = fresh.map((finding) => `<li>${severityBadge(finding.severity)} <a href="#finding-${html(finding.fingerprint)}"><code>${html(finding.ruleId)}</code></a> ${html(finding.resource.name)}</li>`).join('');
  const fixedList = fixed.map((entry) => `<li><code>${html(entry.ruleId ?? '')}</code> ${html(entry.resource?.name ?? entry.fingerprint ?? '')}</li>`).join('');
  return (
    `<h3>Against the baseline <span class="muted mono">${html(report.baseline.file)}</span></h3>` +
    `<p>${plural(fresh.length, 'new finding')}, ${fixed.length} fixed.</p>${newList ? `<details open><summary>New</summary><ul>${newList}</ul></details>` : ''}${fixedList ? `<details><summary>Fixed</summary><ul>${fixedList}</ul></details>` : ''}`
  );
}

function notCheckedHtml(report: AuditReport, context: RenderContext): string {
  const notRun = rulesNotRun(report, context);
  const items = [
    ...report.notChecked.map((entry) => `<li><b>${html(entry.what)}</b>: ${html(entry.why)}</li>`),
    ...(notRun.probe.length ? [`<li>probe rules not run (they need <code>--probe</code>): ${notRun.probe.map((id) => `<code>${html(id)}</code>`).join(', ')}</li>`] : []),
    ...(notRun.off.length ? [`<li>rules turned off: ${notRun.off.map((id) => `<code>${html(id)}</code>`).join(', ')}</li>`] : []),
  ];
  return items.length ? `<h3>Not checked</h3><ul class="not-checked">${items.join('')}</ul>` : '';
}

function summaryHtml(report: AuditReport): string {
  const { summary } = report;
  const cards = [
    `<div class="card error"><b>${summary.errors}</b>errors</div>`,
    `<div class="card warning"><b>${summary.warnings}</b>warnings</div>`,
    `<div class="card info"><b>${summary.infos}</b>info</div>`,
    `<div class="card"><b>${summary.loadBalancers}</b>load balancers</div>`,
  ];
  if (report.probe) {
    const probe = probeSummary(report.probe);
    cards.push(`<div class="card${probe.failing.length ? ' error' : ''}"><b>${probe.failing.length}/${probe.addresses}</b>addresses failing</div>`);
  }
  return `<div class="cards">${cards.join('')}</div>`;
}

/** The page, a load balancer's section at a time after the head. */
export function* htmlChunks(report: AuditReport, context: RenderContext): Generator<string> {
  const sections = loadBalancerSections(report, context.inventory, { everyLoadBalancer: true });
  const scope = `${plural(report.summary.loadBalancers, 'load balancer')} in ${report.scope.regions.map(html).join(', ') || 'no region'}${report.scope.accounts.length ? ` (${report.scope.accounts.length > 1 ? 'accounts' : 'account'} ${report.scope.accounts.map(html).join(', ')})` : ''}`;
  const title = `lbcheck: ${report.findings.length === 0 ? 'no findings' : countsPhrase(report.summary)}`;
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src '${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${html(title)}</h1>
<p class="muted">${scope}; ${plural(report.rules.length, 'rule')} ran · lbcheck ${html(report.tool.version)}</p>
${summaryHtml(report)}
${baselineHtml(report)}
${filtersHtml(report, sections)}
${notCheckedHtml(report, context)}
`;
  for (let i = 0; i < sections.length; i++) yield `${i === 0 ? '' : '\n'}${sectionHtml(sections[i]!)}`;
  yield `
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
