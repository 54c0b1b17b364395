/**
 * The calibration report in a real browser: `lookout analyze` (the CLI, as a
 * user runs it) replays two days of a gzip'd log4j service log and a zstd'd
 * nginx access log with `--report`; headless Chromium (Debian's `chromium`,
 * driven by playwright-core) opens the file and we check that the charts
 * drew, every anomaly the run emitted is in the page, hovering a marker shows
 * its evidence, nothing was fetched from the network and nothing logged an
 * error. A screenshot lands in test/artifacts/ (git-ignored) for CI.
 *
 * Skips only when /usr/bin/chromium is missing outside CI; `.ci/run`
 * installs it, so in CI the test always runs.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnomalyRecord } from '../../src/sinks/record.js';
import { accessLog, calibrationLog } from '../support/calibration_log.js';
import { REPO_ROOT, runCli } from '../cli/support.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const missing = !existsSync(CHROMIUM);
if (missing && !process.env.CI) {
  console.warn(`report browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium; CI installs it and never skips)`);
}
const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');

describe.skipIf(missing && !process.env.CI)('the analyze report in headless Chromium', { timeout: 180_000 }, () => {
  let dir: string;
  let browser: Browser;
  let anomalies: AnomalyRecord[];
  let reportPath: string;
  let shop: ReturnType<typeof calibrationLog>;
  let web: ReturnType<typeof accessLog>;
  let stderr: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookout-report-'));
    await zstdInit();
    // Two days ending an hour ago: relative to now, so the run is the same at any date.
    const end = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    shop = calibrationLog({ end, hours: 48, stepSeconds: 20 });
    web = accessLog({ end, hours: 48, stepSeconds: 60 });
    const shopPath = join(dir, 'shop.log.gz');
    const webPath = join(dir, 'web-access.log.zst');
    await writeFile(shopPath, gzipSync(`${shop.lines.join('\n')}\n`));
    await writeFile(webPath, zstdCompress(Buffer.from(`${web.lines.join('\n')}\n`), 3));
    reportPath = join(dir, 'report.html');
    const r = await runCli(['analyze', shopPath, webPath, '--report', reportPath, '--output', 'ndjson', '--price-per-million-tokens', '2.5'], { timeoutMs: 150_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    stderr = r.stderr;
    anomalies = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as AnomalyRecord);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads both compressed inputs and finds the injected incidents', () => {
    expect(stderr).toMatch(/format log4j\+access_log/);
    expect(stderr).toContain(`report written to ${reportPath}`);
    const evidence = anomalies.flatMap((a) => a.anomaly.evidence).join('\n');
    for (const line of [shop.incidents.pool, shop.incidents.oom, shop.incidents.novel, web.burst]) expect(evidence).toContain(line);
    expect(anomalies.find((a) => a.anomaly.type === 'out_of_memory')?.anomaly.severity).toBe('critical');
  });

  it('draws the charts, lists every anomaly, shows evidence on hover, fetches nothing and logs no error', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (req) => requests.push(req.url()));
    const url = pathToFileURL(reportPath).href;
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });

    // Charts: one per stream, each canvas with drawn (non-transparent) pixels.
    const charts = await page.locator('.chart').evaluateAll((boxes) =>
      boxes.map((box) => {
        const canvas = box.querySelector('canvas');
        if (!canvas) return { stream: box.getAttribute('data-stream'), painted: 0 };
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
        return { stream: box.getAttribute('data-stream'), painted };
      }),
    );
    expect(charts.map((c) => c.stream).sort()).toEqual(['shop|unknown', 'web-access|unknown']);
    for (const c of charts) expect(c.painted, c.stream ?? '').toBeGreaterThan(1000);

    // Every anomaly of the run: a table row, and a marker on its stream's timeline.
    expect(anomalies.length).toBeGreaterThanOrEqual(4);
    const rows = await page.locator('tr[data-anomaly-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-anomaly-id')));
    expect(rows.sort()).toEqual(anomalies.map((a) => a.anomaly.id).sort());
    const markers = await page.locator('.marker').evaluateAll((ms) => ms.map((m) => m.getAttribute('data-anomaly-id')));
    expect(markers.sort()).toEqual(anomalies.map((a) => a.anomaly.id).sort());
    for (const a of anomalies) {
      const row = page.locator(`tr[data-anomaly-id="${a.anomaly.id}"]`);
      await expect(row.textContent()).resolves.toContain(a.anomaly.summary);
      for (const e of a.anomaly.evidence) await expect(row.textContent()).resolves.toContain(e);
    }

    // Hover the critical marker: the tooltip shows its summary and evidence.
    const oom = anomalies.find((a) => a.anomaly.type === 'out_of_memory')!;
    expect(await page.locator('#tip').isVisible()).toBe(false);
    await page.hover(`.marker[data-anomaly-id="${oom.anomaly.id}"]`);
    await page.waitForSelector('#tip', { state: 'visible' });
    const tip = (await page.locator('#tip').textContent()) ?? '';
    expect(tip).toContain(oom.anomaly.summary);
    expect(tip).toContain(shop.incidents.oom);
    // Routing is shown: critical → pagerduty (not configured in this run).
    await expect(page.locator(`tr[data-anomaly-id="${oom.anomaly.id}"]`).textContent()).resolves.toContain('pagerduty (not configured)');
    // The price flag reaches the what-if table.
    await expect(page.locator('#what-if').textContent()).resolves.toContain('at 2.5 per million tokens');

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(requests.every((u) => u === url)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('is one self-contained file: no external script, style or link', async () => {
    const html = await readFile(reportPath, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|https?:\/\/[^"'\s]*\.(?:js|css)\b/);
    expect(html).toContain("default-src 'none'");
  });
});
