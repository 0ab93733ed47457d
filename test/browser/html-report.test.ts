/**
 * The HTML report of the example snapshot (with its recorded probe) opened in a real
 * headless Chromium from the OS packages: no console error, no request leaves the file,
 * every finding is on the page, the filters work (and the page reads without script),
 * and the seed incident's ALB ("shop") is drawn with three AZ nodes, the third one's
 * route broken in red. A screenshot goes to test-artifacts/html-report.png.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { exampleReports, type ExampleReport } from '../support/golden.js';

const CHROMIUM = process.env.LBCHECK_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const ARTIFACTS_DIR = resolve(process.env.LBCHECK_TEST_ARTIFACTS ?? 'test-artifacts');
const SEED_ALB = 'shop';

const available = existsSync(CHROMIUM);
const title = available ? 'HTML report in headless Chromium' : `HTML report in headless Chromium: SKIPPED, ${CHROMIUM} is not installed (apt-get install -y chromium)`;

interface Opened {
  page: Page;
  consoleErrors: string[];
  requests: string[];
}

describe.skipIf(!available)(title, { timeout: 120_000 }, () => {
  let browser: Browser;
  let work: string;
  let file: string;
  let example: ExampleReport;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const found = (await exampleReports()).find((candidate) => candidate.name === 'incidents' && candidate.probed);
    if (!found) throw new Error('examples/incidents.snapshot.json with its incidents.probe.json is missing');
    example = found;
    work = await mkdtemp(join(tmpdir(), 'lbcheck-html-'));
    file = join(work, 'report.html');
    await writeFile(file, renderReport('html', example.report, example.context));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function open(options: { javaScriptEnabled?: boolean } = {}): Promise<Opened> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, consoleErrors, requests };
  }

  it('loads without a console error and without a request beyond the file itself', async () => {
    const { page, consoleErrors, requests } = await open();
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.context().close();
  });

  it('shows every finding, each under its own anchor', async () => {
    const { page } = await open();
    for (const finding of example.report.findings) {
      const anchor = page.locator(`[id="finding-${finding.fingerprint}"]`);
      await expect.poll(() => anchor.count(), { message: finding.ruleId }).toBe(1);
    }
    const text = await page.locator('main').innerText();
    for (const finding of example.report.findings) expect(text).toContain(finding.message);
    await page.context().close();
  });

  it(`draws the seed ALB ${SEED_ALB} with three AZ nodes, the third one's route broken in red and linked to its finding`, async () => {
    const { page } = await open();
    const svg = page.locator(`section.lb:has(h2:text-is("${SEED_ALB}")) svg.path`);
    await expect.poll(() => svg.count()).toBe(1);
    const zones = svg.locator('g.zone');
    expect(await zones.evaluateAll((groups) => groups.map((group) => [group.getAttribute('data-zone'), group.getAttribute('data-route')]))).toEqual([
      ['us-east-1a', 'ok'],
      ['us-east-1b', 'ok'],
      ['us-east-1c', 'broken'],
    ]);
    const broken = zones.nth(2).locator('line.link.broken');
    expect(await broken.count()).toBe(1);
    expect(await broken.evaluate((line) => (globalThis as unknown as { getComputedStyle(element: unknown): { stroke: string } }).getComputedStyle(line).stroke)).toBe('rgb(198, 40, 40)');
    expect(await zones.nth(0).locator('.broken').count()).toBe(0);
    const routeFinding = example.report.findings.find((finding) => finding.ruleId === 'internet-facing-subnet-without-igw-route');
    expect(await zones.nth(2).locator('a.flag-link').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toContain(`#finding-${routeFinding?.fingerprint}`);
    expect(await zones.nth(2).innerHTML()).toContain('203.0.113.13');

    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'html-report.png'), fullPage: true });
    await page.context().close();
  });

  it('filters by severity and rule with its small script', async () => {
    const { page } = await open();
    const visible = () => page.locator('article.finding:visible').count();
    const all = await visible();
    expect(all).toBeGreaterThan(1);
    await page.selectOption('select[name=rule]', 'internet-facing-subnet-without-igw-route');
    expect(await visible()).toBe(1);
    await page.selectOption('select[name=rule]', '');
    await page.uncheck('input[name=severity][value=error]');
    expect(await visible()).toBe(0);
    expect(await page.locator('#shown').innerText()).toBe('0 shown');
    await page.context().close();
  });

  it('reads without script: every finding shown, the filter controls hidden', async () => {
    const { page, requests } = await open({ javaScriptEnabled: false });
    expect(await page.locator('#filters').isVisible()).toBe(false);
    expect(await page.locator('article.finding:visible').count()).toBe(await page.locator('article.finding').count());
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.context().close();
  });
});
