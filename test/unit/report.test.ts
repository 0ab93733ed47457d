import { describe, expect, it } from 'vitest';
import { RAW_CONTROL_OR_BIDI, withoutOwnColours } from '../support/hostile-text.js';
import { runEngine } from '../../src/engine/runner.js';
import { fingerprint } from '../../src/engine/fingerprint.js';
import { parseBaseline, type Baseline } from '../../src/engine/baseline.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { buildReport, renderReport, reportChunks, type AuditReport } from '../../src/report/index.js';
import { FINDINGS_PER_CHUNK } from '../../src/report/json.js';
import { sarifCategory } from '../../src/report/sarif.js';
import { projectUrl, VERSION } from '../../src/version.js';
import { ACCOUNT } from '../support/fixtures.js';
import { idleTimeoutRule, inventoryOf, smallScope, targetGroupRule, throwingRule } from '../support/engine-fixtures.js';

const WEB_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188`;
const LEGACY_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/legacy`;
const TG_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/web-tg/0123456789abcdef`;
const rules = [idleTimeoutRule('idle', 30), targetGroupRule(), throwingRule()];

/** Names an attacker can choose (an LB name, a tag, an AWS error message, a snapshot string): clear the screen, retitle the window, reverse the text, ping a team. */
const HOSTILE_NAME = 'web\u001b[2J\u001b]0;pwned\u0007\u202Eevil|[x](https://evil.example) @org/team\r# Approved';
const HOSTILE_WHY = 'AccessDenied: \u001b[31mnot\u001b[0m authorized\n<img src=x>';

function hostileReport(): AuditReport {
  const scope = JSON.parse(JSON.stringify(smallScope()).replaceAll('"web"', JSON.stringify(HOSTILE_NAME))) as ReturnType<typeof smallScope>;
  const inventory = inventoryOf([scope], [{ what: 'region eu-west-3', why: HOSTILE_WHY, region: 'eu-west-3' }]);
  return buildReport({ inventory, result: runEngine({ inventory, rules, config: EMPTY_CONFIG }), durationMs: 1 });
}


function sampleReport(options: { baseline?: Baseline } = {}): AuditReport {
  const inventory = inventoryOf([smallScope()], [{ what: 'region eu-west-3', why: 'AccessDenied: not authorized', region: 'eu-west-3' }]);
  const result = runEngine({
    inventory,
    rules,
    config: { ...EMPTY_CONFIG, ignore: [{ rule: 'idle', resource: 'nothing-*', reason: 'old', expires: '2020-01-01', source: '.lbcheck.yml:3:5' }] },
    now: new Date('2026-11-20T00:00:00Z'),
    ...(options.baseline && { baseline: options.baseline.fingerprints }),
  });
  return buildReport({ inventory, result, durationMs: 1234.4, ...(options.baseline && { baseline: options.baseline }) });
}

const context = { rules: rules.map((rule) => rule.meta) };

describe('json report', () => {
  it('is the bytes of JSON.stringify(report, null, 2) with a newline, written a few findings at a time, whatever their number', () => {
    const report = sampleReport();
    const [first] = report.findings;
    if (!first) throw new Error('the sample report has findings');
    // Around the chunk size and across several chunks; one message holds what the list looks like when empty.
    const size = FINDINGS_PER_CHUNK;
    for (const count of [0, 1, size - 1, size, size + 1, 2 * size, 2 * size + 1, 200]) {
      const findings = Array.from({ length: count }, (_, i) => ({
        ...first,
        message: i === 40 ? `${first.message}\n  "findings": [] 漢字…` : `${first.message} ${i}`,
        fingerprint: `${first.fingerprint}-${i}`,
      }));
      const whole = { ...report, findings };
      const pieces = [...reportChunks('json', whole, context)];
      expect(pieces.join('')).toBe(`${JSON.stringify(whole, null, 2)}\n`);
      // Never one string: no piece holds more than one chunk of findings.
      expect(Math.max(...pieces.map((piece) => piece.split('"ruleId"').length - 1))).toBe(Math.min(count, size));
    }
  });

  it('has the contract shape', () => {
    const report = JSON.parse(renderReport('json', sampleReport(), context)) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['schemaVersion', 'tool', 'scope', 'findings', 'notChecked', 'stats', 'summary', 'ignores', 'rules']);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool).toEqual({ name: 'lbcheck', version: VERSION });
    expect(report.scope).toEqual({ regions: ['us-east-1'], accounts: [ACCOUNT] });
    expect(report.stats).toEqual({ apiCalls: { DescribeLoadBalancers: 2, DescribeTargetGroups: 1 }, durationMs: 1234 });
    expect(report.summary).toEqual({ errors: 1, warnings: 2, infos: 0, newFindings: 3, loadBalancers: 2, regions: 1, accounts: 1 });
    expect((report.findings as { ruleId: string; resource: { arn: string }; fingerprint: string }[]).map((f) => [f.ruleId, f.resource.arn, f.fingerprint])).toEqual([
      ['target-group-port', TG_ARN, fingerprint('target-group-port', TG_ARN, '8080')],
      ['idle', LEGACY_ARN, fingerprint('idle', LEGACY_ARN)],
      ['idle', WEB_ARN, fingerprint('idle', WEB_ARN)],
    ]);
    expect(report.notChecked).toEqual([
      { what: 'region eu-west-3', why: 'AccessDenied: not authorized', region: 'eu-west-3' },
      { what: `rule always-throws in ${ACCOUNT}/us-east-1`, why: 'rule always-throws failed: cannot read property of undefined', region: 'us-east-1', account: ACCOUNT, rules: ['always-throws'] },
    ]);
    expect((report.ignores as AuditReport['ignores']).expired.map((e) => [e.rule, e.resource, e.expires, e.unsuppressed])).toEqual([
      ['idle', 'nothing-*', '2020-01-01', []],
    ]);
  });

  it('counts new findings against a baseline, and lists what it had that is now fixed', () => {
    const entry = (ruleId: string, arn: string, region = 'us-east-1', discriminator?: string) => ({
      ruleId,
      fingerprint: fingerprint(ruleId, arn, discriminator),
      severity: 'warning',
      resource: { arn, type: 'application', name: arn.split('/')[2] ?? arn, region, account: ACCOUNT },
    });
    const GONE_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/gone/1111111111111111`;
    const baseline = parseBaseline(
      JSON.stringify({
        schemaVersion: 1,
        findings: [
          entry('idle', WEB_ARN),
          // Fixed: the same rule ran in the same account and region and no longer finds it.
          entry('idle', GONE_ARN),
          // Not fixed, not seen: eu-west-3 could not be read in this audit.
          entry('idle', GONE_ARN.replace(/us-east-1/g, 'eu-west-3'), 'eu-west-3'),
          // Not seen: the rule did not run.
          entry('retired-rule', GONE_ARN),
          // Not seen: another region.
          entry('idle', GONE_ARN.replace(/us-east-1/g, 'eu-north-1'), 'eu-north-1'),
        ],
      }),
      'previous.json',
    );
    const report = sampleReport({ baseline });
    expect(report.summary.newFindings).toBe(2);
    expect(report.baseline).toEqual({ file: 'previous.json', new: 2, fixed: [entry('idle', GONE_ARN)] });
    expect(report.findings.map((f) => [f.resource.name, f.new])).toEqual([
      ['web-tg', true],
      ['legacy', true],
      ['web', false],
    ]);
  });
});

describe('text report', () => {
  it('groups by load balancer, worst first, with a summary per rule and severity and what was not checked, without colour', () => {
    const text = renderReport('text', sampleReport(), { ...context, color: false });
    expect(text).not.toContain('\u001b[');
    expect(text).toBe(
      [
        `web (ALB in us-east-1, account ${ACCOUNT}): 1 error, 1 warning`,
        '',
        '  error   target-group-port  target group web-tg',
        '    Target group web-tg listens on 8080.',
        '    Fix: Change the port',
        '',
        '  warning idle',
        '    web has an idle timeout of 60 s.',
        '    Fix: Lower it',
        '',
        `legacy (Classic LB in us-east-1, account ${ACCOUNT}): 1 warning`,
        '',
        '  warning idle',
        '    legacy has an idle timeout of 30 s.',
        '    Fix: Lower it',
        '',
        'Summary',
        '  1 error, 2 warnings, 0 info on 2 load balancers in 1 region; 3 rules ran.',
        '    error   1  target-group-port',
        '    warning 2  idle',
        '  Expired ignore: .lbcheck.yml:3:5: the ignore of idle on nothing-* expired on',
        '                  2020-01-01 and no longer suppresses anything.',
        '',
        'Not checked (2)',
        '  - region eu-west-3: AccessDenied: not authorized',
        `  - rule always-throws in ${ACCOUNT}/us-east-1: rule always-throws failed:`,
        '    cannot read property of undefined',
        '',
      ].join('\n'),
    );
  });

  it('shows control and bidi characters from AWS text instead of obeying them', () => {
    const text = renderReport('text', hostileReport(), { ...context, color: true, width: 200 });
    expect(withoutOwnColours(text)).not.toMatch(RAW_CONTROL_OR_BIDI);
    expect(text).toContain('web\\x1b[2J\\x1b]0;pwned\\x07\\u202eevil|[x](https://evil.example) @org/team\\r# Approved has an idle timeout of 60 s.');
    expect(text).toContain('  - region eu-west-3: AccessDenied: \\x1b[31mnot\\x1b[0m authorized\\n<img src=x>');
  });

  it('colours severities when asked', () => {
    const text = renderReport('text', sampleReport(), { ...context, color: true });
    expect(text).toContain('\u001b[31merror  \u001b[0m \u001b[1mtarget-group-port');
    expect(text).toContain('\u001b[33mwarning\u001b[0m \u001b[1midle');
  });

  it('prints the evidence whole with --verbose: nested keys indented, nothing empty, nothing cut', () => {
    const text = renderReport('text', sampleReport(), { ...context, color: false, verbose: true, width: 60 });
    expect(text).toContain(['    Evidence:', '      idleTimeoutSeconds: 60', `      loadBalancerArn: ${WEB_ARN.slice(0, 37)}`, `                       ${WEB_ARN.slice(37, 74)}`, `                       ${WEB_ARN.slice(74)}`].join('\n'));
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });
});

describe('markdown report', () => {
  it('has a summary table, findings per rule, then one collapsible section per load balancer, worst first', () => {
    const markdown = renderReport('markdown', sampleReport(), context);
    expect(markdown.startsWith('## lbcheck: 1 error, 2 warnings, 0 info\n')).toBe(true);
    expect(markdown).toContain('| Errors | 1 |\n| Warnings | 2 |\n| Info | 0 |');
    expect(markdown).toContain('| Checked | 2 load balancers in us-east-1 |');
    expect(markdown).toContain(`| 🟠 warning | \`idle\` | 2 |`);
    expect(markdown).toContain(`<details open><summary><b>web</b> · ALB · us-east-1 · ${ACCOUNT} · 🔴 1 error, 🟠 1 warning</summary>\n\n\`${WEB_ARN}\`\n`);
    expect(markdown).toContain(`- 🔴 **error** \`target-group-port\` · target group web-tg<br>\n  Target group web-tg listens on 8080.<br>\n  **Fix:** Change the port\n`);
    expect(markdown.indexOf('<b>web</b>')).toBeLessThan(markdown.indexOf('<b>legacy</b>'));
    expect(markdown).toContain('<details><summary><b>Not checked</b> (3)</summary>\n\n- region eu-west-3: AccessDenied: not authorized\n');
    expect(markdown.split('<details').length).toBe(markdown.split('</details>').length);
  });

  it('says how many accounts the report covers when it is more than one, as the text report does (the HTML report names them)', () => {
    const other = JSON.parse(JSON.stringify(smallScope()).replaceAll(ACCOUNT, '222233334444')) as ReturnType<typeof smallScope>;
    const inventory = inventoryOf([smallScope(), other]);
    const report = buildReport({ inventory, result: runEngine({ inventory, rules, config: EMPTY_CONFIG }), durationMs: 1 });
    expect(renderReport('markdown', report, context)).toContain('| Checked | 4 load balancers in us-east-1 across 2 accounts |');
    expect(renderReport('text', report, { ...context, width: 200 })).toContain('on 4 load balancers in 1 region across 2 accounts;');
    expect(renderReport('html', report, context)).toContain(`4 load balancers in us-east-1 (accounts ${ACCOUNT}, 222233334444);`);
  });

  it('stops at --max-bytes and counts the load balancers and findings it left out', () => {
    const full = renderReport('markdown', sampleReport(), context);
    const legacyAt = Buffer.byteLength(full.slice(0, full.indexOf('<details><summary><b>legacy</b>')), 'utf8');
    const capped = renderReport('markdown', sampleReport(), { ...context, maxBytes: legacyAt + 400 });
    expect(Buffer.byteLength(capped, 'utf8')).toBeLessThanOrEqual(legacyAt + 400);
    expect(capped).toContain('<b>web</b>');
    expect(capped).not.toContain('<b>legacy</b>');
    expect(capped).toContain('_1 more load balancer with 1 finding not shown: this report stops at');
    // Too small for even the first section whole: what fits of it, and the rest counted inside it.
    // Room (400 bytes are kept for the closing count) for the first finding and the line counting the other, not for both findings.
    const tinyCap = Buffer.byteLength(full.slice(0, full.indexOf('- 🟠 **warning**')), 'utf8') + 400 + Buffer.byteLength('- _1 more finding not shown (size limit)_\n\n</details>\n\n', 'utf8');
    const tiny = renderReport('markdown', sampleReport(), { ...context, maxBytes: tinyCap });
    expect(Buffer.byteLength(tiny, 'utf8')).toBeLessThanOrEqual(tinyCap);
    expect(tiny).toContain('target-group-port');
    expect(tiny).toContain('- _1 more finding not shown (size limit)_');
    expect(tiny.split('<details').length).toBe(tiny.split('</details>').length);
  });

  it('keeps hostile AWS text inert: no control or bidi character, no link, mention, HTML or heading', () => {
    const markdown = renderReport('markdown', hostileReport(), context);
    expect(markdown).not.toMatch(RAW_CONTROL_OR_BIDI);
    const summary = markdown.split('\n').find((line) => line.includes('· ALB ·'));
    expect(summary).toContain('<summary><b>web\\x1b[2J\\x1b]0;pwned\\x07\\u202eevil|[x](https://evil.example) @&#8203;org/team\\r# Approved</b>');
    expect(summary).not.toMatch(/@org|<img/);
    expect(markdown).toContain('  web\\\\x1b\\[2J\\\\x1b\\]0;pwned\\\\x07\\\\u202eevil\\|\\[x\\]\\(https://evil.example\\) @&#8203;org/team\\\\r# Approved has an idle timeout');
    expect(markdown).toContain('- region eu-west-3: AccessDenied: \\\\x1b\\[31mnot\\\\x1b\\[0m authorized\\\\n&lt;img src=x&gt;');
    // Outside code spans (where nothing is parsed), nothing pings, embeds or links.
    expect(markdown.replace(/`[^`]*`/g, '').replace(/<summary>.*<\/summary>/g, '')).not.toMatch(/@org|<img|\]\(https:\/\/evil/);
  });
});

describe('sarif report', () => {
  it('is exactly JSON.stringify of what it holds (compact, trailing newline), with no, one or many chunks of results and text beyond Latin-1', () => {
    const report = sampleReport();
    const [first] = report.findings;
    if (!first) throw new Error('the sample report has findings');
    // Around the chunk sizes (16 to 64 results, as measured) and across several chunks, one of them with a two-byte character.
    for (const count of [0, 1, 15, 16, 17, 63, 64, 65, 128, 129, 600]) {
      const findings = Array.from({ length: count }, (_, i) => ({
        ...first,
        message: i === 300 ? `${first.message} 漢字… ${i}` : `${first.message} ${i}`,
        fingerprint: `${first.fingerprint}-${i}`,
      }));
      const sarif = renderReport('sarif', { ...report, findings }, context);
      const parsed = JSON.parse(sarif) as { runs: { results: { message: { text: string } }[] }[] };
      expect(parsed.runs[0]?.results).toHaveLength(count);
      expect(sarif).toBe(`${JSON.stringify(parsed)}\n`);
    }
  });

  it('lists every rule and gives each result a synthetic location and a fingerprint', () => {
    const sarif = JSON.parse(renderReport('sarif', sampleReport(), context)) as {
      version: string;
      $schema: string;
      runs: {
        tool: {
          driver: {
            name: string;
            informationUri?: string;
            rules: {
              id: string;
              name?: string;
              helpUri?: string;
              help: { text: string; markdown: string };
              defaultConfiguration: { level: string };
              properties: { tags: string[] };
            }[];
          };
        };
        automationDetails: { id: string };
        invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string }; properties: unknown }[] }[];
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
          partialFingerprints: { primaryLocationLineHash: string };
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const [run] = sarif.runs;
    if (!run) throw new Error('no run');
    expect(run.tool.driver.name).toBe('lbcheck');
    // No helpUri or informationUri: package.json names no repository, and a placeholder link would not resolve.
    expect(run.tool.driver.informationUri).toBeUndefined();
    expect(run.tool.driver.rules.map((r) => [r.id, r.name, r.helpUri, r.defaultConfiguration.level])).toEqual([
      ['always-throws', 'AlwaysThrows', undefined, 'warning'],
      ['idle', undefined, undefined, 'warning'],
      ['target-group-port', 'TargetGroupPort', undefined, 'error'],
    ]);
    // The category is a SARIF tag, so code scanning can filter by it.
    expect(run.tool.driver.rules.map((r) => r.properties.tags)).toEqual([
      ['aws', 'load-balancer', 'reachability', 'config'],
      ['aws', 'load-balancer', 'reachability', 'config'],
      ['aws', 'load-balancer', 'reachability', 'config'],
    ]);
    expect(run.automationDetails.id).toBe(`lbcheck/${ACCOUNT}/us-east-1/`);
    expect(
      run.results.map((r) => [
        r.ruleId,
        run.tool.driver.rules[r.ruleIndex]?.id,
        r.level,
        r.locations[0]?.physicalLocation.artifactLocation.uri,
        r.locations[0]?.physicalLocation.region.startLine,
        r.partialFingerprints.primaryLocationLineHash,
      ]),
    ).toEqual([
      ['target-group-port', 'target-group-port', 'error', `aws/${ACCOUNT}/us-east-1/target-group/web-tg`, 1, fingerprint('target-group-port', TG_ARN, '8080')],
      ['idle', 'idle', 'warning', `aws/${ACCOUNT}/us-east-1/classic/legacy`, 1, fingerprint('idle', LEGACY_ARN)],
      ['idle', 'idle', 'warning', `aws/${ACCOUNT}/us-east-1/application/web`, 1, fingerprint('idle', WEB_ARN)],
    ]);
    expect(run.results[1]?.message.text).toBe(`legacy has an idle timeout of 30 s. Fix: Lower it. Evidence: idleTimeoutSeconds=30 loadBalancerArn=${LEGACY_ARN}`);
  });

  it("carries each rule's full help: what it checks, why, the fix with its command, the references", () => {
    const sarif = JSON.parse(renderReport('sarif', sampleReport(), context)) as { runs: { tool: { driver: { rules: { id: string; help: { text: string; markdown: string } }[] } } }[] };
    const help = sarif.runs[0]?.tool.driver.rules.find((r) => r.id === 'idle')?.help;
    expect(help?.markdown).toBe(
      [
        'Reports every load balancer for the engine tests.',
        '**Why it matters.** Engine tests need a rule with known output.',
        '**How to fix it.** Nothing to fix.',
        '```sh\naws elbv2 describe-load-balancers\n```',
        '**References**\n\n- [Elastic Load Balancing](https://docs.aws.amazon.com/elasticloadbalancing/)',
      ].join('\n\n'),
    );
    expect(help?.text).toContain('Why it matters: Engine tests need a rule with known output.');
    expect(help?.text).toContain('How to fix it: Nothing to fix.');
    expect(help?.text).toContain('Elastic Load Balancing <https://docs.aws.amazon.com/elasticloadbalancing/>');
  });

  it('lists what could not be checked as notifications; a failed listing makes the run unsuccessful', () => {
    type Sarif = { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[] };
    const report = sampleReport();
    const [invocation] = (JSON.parse(renderReport('sarif', report, context)) as Sarif).runs[0]?.invocations ?? [];
    expect(invocation?.toolExecutionNotifications.map((n) => [n.level, n.message.text])).toEqual([
      ['warning', 'Not checked in eu-west-3: region eu-west-3: AccessDenied: not authorized.'],
      ['warning', `Not checked in ${ACCOUNT}/us-east-1: rule always-throws in ${ACCOUNT}/us-east-1: rule always-throws failed: cannot read property of undefined.`],
    ]);
    // "region eu-west-3": nothing at all could be read there, the listing included.
    expect(invocation?.executionSuccessful).toBe(false);
    const listed = { ...report, notChecked: report.notChecked.slice(1) };
    expect((JSON.parse(renderReport('sarif', listed, context)) as Sarif).runs[0]?.invocations[0]?.executionSuccessful).toBe(true);
    const listingFailed = {
      ...report,
      notChecked: [{ what: 'the load balancers (elasticloadbalancing:DescribeLoadBalancers in us-east-1)', why: 'AccessDenied: no', region: 'us-east-1' }],
    };
    expect((JSON.parse(renderReport('sarif', listingFailed, context)) as Sarif).runs[0]?.invocations[0]?.executionSuccessful).toBe(false);
  });

  it('names the category by account and region, or as the user says', () => {
    const scope = (accounts: string[], regions: string[]) => ({ scope: { accounts, regions } });
    expect(sarifCategory(scope(['111111111111'], ['eu-west-1']))).toBe('lbcheck/111111111111/eu-west-1/');
    expect(sarifCategory(scope(['111111111111', '222222222222'], ['eu-west-1', 'us-east-1']))).toBe('lbcheck/111111111111+222222222222/eu-west-1+us-east-1/');
    const many = Array.from({ length: 20 }, (_, i) => String(100000000000 + i));
    expect(sarifCategory(scope(many, ['eu-west-1']))).toMatch(/^lbcheck\/20-accounts-[0-9a-f]{8}\/eu-west-1\/$/);
    expect(sarifCategory(scope(many, ['eu-west-1']))).toBe(sarifCategory(scope(many, ['eu-west-1'])));
    expect(sarifCategory(scope(['111111111111'], ['eu-west-1']), 'prod-lbs')).toBe('prod-lbs/');
  });
});

describe('projectUrl', () => {
  it("reads package.json's repository in its usual spellings, and nothing when it is unset", () => {
    expect(projectUrl(undefined)).toBeUndefined();
    expect(projectUrl('')).toBeUndefined();
    expect(projectUrl({ type: 'git', url: 'git+https://github.com/acme/lbcheck.git' })).toBe('https://github.com/acme/lbcheck');
    expect(projectUrl('github:acme/lbcheck')).toBe('https://github.com/acme/lbcheck');
    expect(projectUrl('acme/lbcheck')).toBe('https://github.com/acme/lbcheck');
  });
});

describe('evidenceEntries', () => {
  it('flattens nested evidence into key: value entries, lists of flat objects on one line, and leaves out empty values', async () => {
    const { evidenceEntries } = await import('../../src/report/evidence.js');
    const evidence = {
      subnetId: 'subnet-0c1c',
      empty: '',
      none: undefined,
      nothing: null,
      ids: ['sg-1', 'sg-2'],
      routes: [{ destination: '0.0.0.0/0', target: 'nat-0e2b', origin: undefined }],
      problems: [{ problem: 'no-igw', route: { target: { kind: 'nat-gateway', id: 'nat-0e2b' }, tags: {} } }],
      hollow: { a: [], b: {} },
    };
    expect(evidenceEntries(evidence)).toEqual([
      { depth: 0, label: 'subnetId', value: 'subnet-0c1c' },
      { depth: 0, label: 'ids', value: 'sg-1, sg-2' },
      { depth: 0, label: 'routes', value: '' },
      { depth: 1, label: '-', value: 'destination: 0.0.0.0/0, target: nat-0e2b' },
      { depth: 0, label: 'problems', value: '' },
      { depth: 1, label: '- problem', value: 'no-igw' },
      { depth: 2, label: 'route', value: '' },
      { depth: 3, label: 'target', value: '' },
      { depth: 4, label: 'kind', value: 'nat-gateway' },
      { depth: 4, label: 'id', value: 'nat-0e2b' },
    ]);
    expect(evidenceEntries({})).toEqual([]);
  });
});

describe('evidenceLine', () => {
  it('writes key=value pairs, nested values as compact JSON, leaves out absent fields, and cuts at the width with an ellipsis', async () => {
    const { evidenceLine } = await import('../../src/report/evidence.js');
    expect(evidenceLine({ port: 443, absent: undefined, nothing: null, ids: ['sg-1', 'sg-2'], rule: { from: 80, to: 80 } }, 400)).toBe(
      'port=443 nothing=null ids=sg-1,sg-2 rule={"from":80,"to":80}',
    );
    const long = { first: 'a'.repeat(30), second: 'b'.repeat(30), third: { many: Array.from({ length: 500 }, (_, i) => ({ i })) } };
    const line = evidenceLine(long, 50);
    expect(line).toBe(`first=${'a'.repeat(30)} second=${'b'.repeat(5)}…`);
    expect(line).toHaveLength(50);
    // Exactly at the width: nothing cut.
    expect(evidenceLine({ k: 'v'.repeat(8) }, 10)).toBe(`k=${'v'.repeat(8)}`);
  });

  it('writes only the start of a long list that the width cuts, the same line as the whole list cut', async () => {
    const { evidenceLine } = await import('../../src/report/evidence.js');
    const targets = Array.from({ length: 40 }, (_, i) => ({ id: `i-${i}`, verdict: 'blocked' }));
    const evidence = { port: 8080, targets, gaps: [undefined, { a: 1 }], after: 'x' };
    const whole = `port=8080 targets=${JSON.stringify(targets)} gaps=[null,{"a":1}] after=x`;
    for (let width = 1; width <= whole.length + 1; width++) {
      expect(evidenceLine(evidence, width)).toBe(whole.length > width ? `${whole.slice(0, width - 1)}…` : whole);
    }
  });
});

describe('text report with a probe', () => {
  it('summarises the probe: addresses, failures and skipped listeners', () => {
    const report = sampleReport();
    const attempt = (outcome: 'ok' | 'timeout') => ({ outcome, connectMs: outcome === 'ok' ? 12 : undefined });
    report.probe = {
      targets: [
        {
          host: 'web-1.us-east-1.elb.amazonaws.com',
          port: 443,
          loadBalancerArn: WEB_ARN,
          dns: { server: 'system', ms: 3, addresses: ['127.0.0.2', '127.0.0.3'] },
          addresses: [
            { ip: '127.0.0.2', family: 4, az: 'us-east-1a', attempts: [attempt('ok'), attempt('ok')] },
            { ip: '127.0.0.3', family: 4, az: 'us-east-1b', attempts: [attempt('ok'), attempt('timeout')] },
          ],
        },
        { host: 'legacy.elb.amazonaws.com', port: 53, skipped: 'UDP listener', dns: { server: 'not resolved', ms: 0, addresses: [] }, addresses: [] },
      ],
    };
    expect(renderReport('text', report, { ...context, color: false, width: 120 })).toContain(
      '\n  Probe: 2 addresses of 1 name probed, 1 failed at least once (127.0.0.3:443); 1 listener skipped.\n',
    );
    expect(renderReport('markdown', report, context)).toContain('| Probed | 2 addresses of 1 name, 1 failing (127.0.0.3:443) |');
  });
});

describe('probe table', () => {
  it('shows control and bidi characters from DNS answers, errors and the host instead of obeying them', async () => {
    const { formatProbeText } = await import('../../src/report/probe-text.js');
    const text = formatProbeText(
      {
        targets: [
          {
            host: 'web\u202Eevil',
            port: 443,
            dns: { server: 'system', ms: 3, addresses: ['127.0.0.2'], cnames: ['a\u001b]0;pwned\u0007.example'] },
            addresses: [{ ip: '127.0.0.2', family: 4, az: 'us-east-1a\u001b[2J', attempts: [{ outcome: 'http-error', error: 'HTTP 502: \u001b[31mbad\r' }] }],
          },
        ],
      },
      { color: true },
    );
    expect(withoutOwnColours(text)).not.toMatch(RAW_CONTROL_OR_BIDI);
    expect(text).toContain('web\\u202eevil:443 (tcp)');
    expect(text).toContain('via CNAME a\\x1b]0;pwned\\x07.example');
    expect(text).toContain('us-east-1a\\x1b[2J');
    expect(text).toContain('127.0.0.2: HTTP 502: \\x1b[31mbad\\r');
  });
});
