// Data health in the browser: a seer up with a tiny memory budget evicts process_stats rows, and the
// live view warns that the queried window is incomplete, with the counts.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Seer, startSeer, waitForTable } from './seer';

const SHOTS = new URL('../test-results/', import.meta.url).pathname;
let seer: Seer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  seer = await startSeer('2MiB');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await waitForTable(seer, 'process_stats', (t) => t.rows_evicted > 0, 120_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await seer?.stop();
});

it('warns about evicted rows in the queried window, with counts', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(seer.loginLink);
  await page.getByRole('heading', { name: 'Scripts' }).waitFor();
  await page.goto(`${seer.base}/view/px/processes?start_time=-1h`);
  const banner = page.getByRole('alert', { name: 'Data health warning' });
  await banner.waitFor();
  const text = (await banner.textContent()) ?? '';
  expect(text).toContain('process_stats');
  const evicted = /([\d,]+) rows evicted/.exec(text)?.[1];
  expect(Number(evicted?.replace(/,/g, ''))).toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}health.png`, fullPage: true });
  await ctx.close();
});
