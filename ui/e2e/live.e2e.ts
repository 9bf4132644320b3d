// Browser tests against a real `seer up`: login, live views, sorting, charts, scratch pad, graph, tables.
// Chromium is Debian's (/usr/bin/chromium, installed by tools/setup.sh test), driven by playwright-core.
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Seer, startSeer, waitForRows } from './seer';

const SHOTS = new URL('../test-results/', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const fixture = (p: string) => readFileSync(new URL(`./fixtures/${p}`, import.meta.url), 'utf8');

let seer: Seer;
let browser: Browser;

async function newPage(): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  return { ctx, page };
}

async function login(page: Page): Promise<void> {
  await page.goto(seer.base);
  await page.getByLabel('Access token').fill(seer.token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Scripts' }).waitFor();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/** Replaces the text of the CodeMirror editor labelled `label`. */
async function setEditor(page: Page, label: string, text: string): Promise<void> {
  const ed = page.getByLabel(label);
  await ed.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function runScratch(page: Page, pxl: string, vis: string): Promise<void> {
  await page.goto(`${seer.base}/scratch`);
  await page.getByRole('tab', { name: /vis\.json/ }).click();
  await setEditor(page, 'vis.json editor', vis);
  await page.getByRole('tab', { name: 'PxL script' }).click();
  await setEditor(page, 'PxL script editor', pxl);
  await page.keyboard.press('Control+Enter');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  seer = await startSeer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Enough 1 s samples for time series with several points.
  await waitForRows(seer, 'process_stats', 1);
  await new Promise((r) => setTimeout(r, 4_000));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await seer?.stop();
});

describe('seer web UI', () => {
  it('refuses a wrong token and logs in with the right one', async () => {
    const { ctx, page } = await newPage();
    await page.goto(seer.base);
    await page.getByLabel('Access token').fill('seer_not_the_token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('invalid token');
    expect(await ctx.cookies()).toHaveLength(0);
    await shot(page, 'login');
    await page.getByLabel('Access token').fill(seer.token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'px/processes' }).waitFor();
    const cookies = await ctx.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]?.httpOnly).toBe(true);
    expect(cookies[0]?.sameSite).toBe('Strict');
    expect(cookies[0]?.value).not.toContain(seer.token);
    expect(page.url()).not.toContain(seer.token);
    await shot(page, 'scripts');
    const session = () => page.evaluate(async () => (await fetch('/api/session')).status);
    expect(await session()).toBe(200);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Access token').waitFor();
    expect(await session()).toBe(401);
    expect(await ctx.cookies()).toHaveLength(0);
    await ctx.close();
  });

  it('accepts the one-time login link once and drops it from the address bar', async () => {
    const first = await newPage();
    await first.page.goto(seer.loginLink);
    await first.page.getByRole('heading', { name: 'Scripts' }).waitFor();
    expect(first.page.url()).not.toContain('login=');
    const second = await newPage();
    await second.page.goto(seer.loginLink);
    await second.page.getByLabel('Access token').waitFor();
    await first.ctx.close();
    await second.ctx.close();
  });

  it('shows px/processes with rows, the seer process, and sorts', async () => {
    const { ctx, page } = await newPage();
    await login(page);
    await page.getByLabel('Search scripts').fill('proc');
    await page.getByRole('link', { name: 'px/processes' }).click();
    const table = page.getByRole('table', { name: 'Processes' });
    await expect.poll(async () => Number(await table.getAttribute('data-rows')), { timeout: 30_000 }).toBeGreaterThan(1);
    // The seer process is listed: page through the table until its command line shows up.
    const seerShown = async () => {
      for (;;) {
        if (/seer[^\n]* up/.test((await table.textContent()) ?? '')) return true;
        const next = page.getByRole('button', { name: 'Next page' });
        if (await next.isDisabled()) return false;
        await next.click();
      }
    };
    expect(await seerShown()).toBe(true);
    // Sort by pid: numeric columns sort descending first, then ascending.
    const header = table.getByRole('button', { name: 'pid', exact: true });
    const pids = async () => {
      const cols = await table.locator('thead th').allTextContents();
      const at = cols.findIndex((c) => c.trim().startsWith('pid'));
      const cells = await table.locator(`tbody tr td:nth-child(${at + 1})`).allTextContents();
      return cells.map((c) => Number(c.replace(/,/g, '')));
    };
    await header.click();
    await expect.poll(() => table.locator('th[aria-sort="descending"]').count()).toBe(1);
    const desc = await pids();
    expect(desc.length).toBeGreaterThan(1);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await header.click();
    const asc = await pids();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    // The time range picker re-runs the view with a new start time (kept in the URL).
    await page.getByLabel('Time range', { exact: true }).selectOption('-15m');
    await expect.poll(() => page.url()).toContain('start_time=-15m');
    await expect.poll(async () => Number(await table.getAttribute('data-rows'))).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('paused', { exact: true }).waitFor();
    await shot(page, 'view-processes');
    await ctx.close();
  });

  it('renders a time series chart with data points', async () => {
    const { ctx, page } = await newPage();
    await login(page);
    await runScratch(page, fixture('timeseries/timeseries.pxl'), fixture('timeseries/vis.json'));
    const chart = page.getByRole('img', { name: /Resident memory: time series/ });
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(1);
    await expect.poll(() => chart.locator('.recharts-line-curve').count()).toBe(1);
    expect(await chart.locator('.recharts-line-dots circle, .recharts-line-dot').count()).toBeGreaterThan(1);
    const d = await chart.locator('.recharts-line-curve').getAttribute('d');
    expect(d && d.split(/[LC]/).length).toBeGreaterThan(1);
    await expect.poll(() => page.getByRole('img', { name: /Threads: time series/ }).locator('.recharts-bar-rectangle').count()).toBeGreaterThan(1);
    await shot(page, 'timeseries');
    await ctx.close();
  });

  it('shows a syntax error at its line in the scratch pad, then results of a valid script', async () => {
    const { ctx, page } = await newPage();
    await login(page);
    await page.getByRole('link', { name: 'Scratch pad' }).click();
    await setEditor(page, 'PxL script editor', "import px\n\ndf = px.DataFrame(table='process_stats')\ndf.x = 1 +\npx.display(df)\n");
    await page.keyboard.press('Control+Enter');
    const err = page.locator('.compile-error');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/^Line 4, column \d+:/);
    expect(await err.getAttribute('data-line')).toBe('4');
    // The inline diagnostic sits on line 4 of the editor.
    const mark = '.cm-lintRange-error, .cm-lintPoint-error';
    await page.locator(mark).first().waitFor();
    const markedLine = await page.locator('.cm-line').evaluateAll(
      (lines, sel) => lines.findIndex((l) => l.querySelector(sel) !== null),
      mark,
    );
    expect(markedLine + 1).toBe(4);
    await shot(page, 'scratch-error');
    await setEditor(
      page,
      'PxL script editor',
      "import px\n\ndf = px.DataFrame(table='process_stats', start_time='-1m')\ndf.cmd = df.ctx['cmd']\npx.display(df.groupby('cmd').agg(rss=('rss_bytes', px.max)), 'by_cmd')\n",
    );
    await page.getByRole('button', { name: /Run/ }).click();
    const table = page.getByRole('table', { name: 'by_cmd' });
    await expect.poll(async () => Number(await table.getAttribute('data-rows'))).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.compile-error').count()).toBe(0);
    await shot(page, 'scratch');
    await ctx.close();
  });

  it('follows a px.script_reference deep link to another view', async () => {
    const { ctx, page } = await newPage();
    await login(page);
    await page.getByRole('link', { name: 'Scratch pad' }).click();
    await setEditor(
      page,
      'PxL script editor',
      "import px\n\ndf = px.DataFrame(table='process_stats', start_time='-1m')\ndf.cmd = df.ctx['cmd']\ndf = df.groupby('cmd').agg(samples=('time_', px.count))\ndf.view = px.script_reference('open processes', 'px/processes', {'start_time': '-15m'})\npx.display(df[['cmd', 'view']].head(3), 'links')\n",
    );
    await page.keyboard.press('Control+Enter');
    const link = page.getByRole('table', { name: 'links' }).getByRole('link', { name: 'open processes' }).first();
    await link.click();
    await page.getByRole('heading', { name: 'px/processes' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/view/px/processes');
    expect(new URL(page.url()).searchParams.get('start_time')).toBe('-15m');
    await expect.poll(async () => Number(await page.getByRole('table', { name: 'Processes' }).getAttribute('data-rows'))).toBeGreaterThan(1);
    await ctx.close();
  });

  it('renders nodes and edges of a graph widget from a fixture script', async () => {
    const { ctx, page } = await newPage();
    await login(page);
    await runScratch(page, fixture('graph/graph.pxl'), fixture('graph/vis.json'));
    const graph = page.getByRole('img', { name: /Host to commands: graph/ });
    await graph.waitFor();
    const nodes = await graph.locator('.graph-node').count();
    const edges = await graph.locator('.graph-edge').count();
    expect(nodes).toBeGreaterThan(2);
    expect(edges).toBe(nodes - 1);
    await graph.locator('.graph-node[data-id="this-host"]').waitFor();
    expect(await graph.locator('.graph-edge[data-from="this-host"] .edge-label').first().textContent()).toMatch(/B$/);
    await shot(page, 'graph');
    await ctx.close();
  });

  it('lists tables with row counts and schemas, in both themes', async () => {
    const { ctx, page } = await newPage();
    await login(page);
    await page.getByRole('link', { name: 'Tables' }).click();
    const rows = page.getByTestId('rows-process_stats');
    await expect.poll(async () => Number((await rows.textContent())?.replace(/,/g, ''))).toBeGreaterThan(0);
    await page.getByRole('button', { name: /process_stats/ }).click();
    await page.getByRole('table', { name: 'process_stats schema' }).getByText('rss_bytes').waitFor();
    await shot(page, 'tables');
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.getByRole('button', { name: /Switch to/ }).click();
    const after = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(after).not.toBe(before);
    await shot(page, `tables-${after}`);
    // Keyboard: the skip link comes first, then the navigation.
    await page.reload();
    await page.getByRole('heading', { name: 'Tables' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await ctx.close();
  });
});
