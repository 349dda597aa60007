/**
 * The web console in a real browser: Debian's chromium driven by playwright-core, loading only
 * the page on 127.0.0.1. Skipped outside CI when chromium is not installed (CI installs it:
 * scripts/install-peers.sh).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../../src/initiator/connect-client.js';
import { runMatrix } from '../../src/matrix/index.js';
import { ADMIN_PASSWORD, LOGIN_PASSWORD, LOOPBACK_CLIENT_TIMING, SEED_PSK, startWebRouter, type WebRouter } from './support/web-router.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = process.env.CI !== 'true' && !existsSync(CHROMIUM);
const SCREENSHOT = '/tmp/rtxlab-web-console.png';
const SCREENSHOT_NARROW = '/tmp/rtxlab-web-console-narrow.png';
const WRONG_XAUTH_PASSWORD = 'Wr0ng-xauth-5e1d';

describe.skipIf(skip)('the web console in chromium', () => {
  let running: WebRouter;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  /** Every WebSocket frame and HTTP body the page received, for the secrets check. */
  const received: { readonly channel: string; readonly text: string }[] = [];

  beforeAll(async () => {
    running = await startWebRouter();
    profile = mkdtempSync(join(tmpdir(), 'rtxlab-chromium-'));
    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      acceptDownloads: true,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    // Only the page's own server: anything else would be a page reaching off the machine.
    await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    page.on('websocket', (socket) => {
      socket.on('framereceived', (frame) => received.push({ channel: 'ws', text: String(frame.payload) }));
    });
    page.on('response', async (response) => {
      const text = await response.text().catch(() => '');
      received.push({ channel: `http ${response.url()}`, text });
    });
  });

  afterAll(async () => {
    await browser?.close();
    await running?.dispose();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  const terminalText = () => page.locator('.xterm-rows').innerText();
  const waitForTerminal = (text: string) =>
    page.waitForFunction(
      (wanted) => {
        // Runs in the page; this file is compiled without the DOM's types.
        const { document } = globalThis as unknown as { document: { querySelector(selector: string): { textContent: string | null } | null } };
        return (document.querySelector('.xterm-rows')?.textContent ?? '').includes(wanted);
      },
      text,
      { timeout: 10_000 },
    );
  const type = async (line: string) => {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  };

  it('asks for the router\'s login password in the terminal and shows no state before it', async () => {
    await page.goto(running.web.url);
    await waitForTerminal('Password:');
    expect(await page.locator('#tunnels').isVisible()).toBe(false);
    // Keyboard only: the terminal has the focus once the page is connected, no click needed.
    await type(LOGIN_PASSWORD);
    await waitForTerminal('> ');
    await page.locator('#tunnels').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await terminalText()).not.toContain(LOGIN_PASSWORD);
  });

  it('shows the bundled client\'s tunnel as it comes up, without a reload, and its SAs in show ipsec sa', async () => {
    const client = await connectClient({ gateway: running.router.listening!, timing: LOOPBACK_CLIENT_TIMING });
    expect(client.outcome).toBe('established');
    const tunnelRow = page.locator('#tunnels tbody tr', { hasText: '10.1.1.110' });
    await tunnelRow.waitFor({ timeout: 10_000 });
    expect(await tunnelRow.locator('td.up').innerText()).toBe('up');
    await type('show ipsec sa');
    await waitForTerminal('tun[001]esp');
    expect(await terminalText()).toMatch(/1\s+1\s+-\s+isakmp\s+-\s+\d+\s+127\.0\.0\.1/);
  });

  it('draws the client\'s ladder: Aggressive Mode, XAUTH with the password masked, mode-cfg, Quick Mode', async () => {
    const ladder = page.locator('.ladder', { has: page.locator('.badge.established') }).first();
    await ladder.waitFor({ timeout: 10_000 });
    const labels = await ladder.locator('.rung .label').allInnerTexts();
    expect(labels).toEqual(expect.arrayContaining(['AM 1', 'AM 2', 'AM 3', 'XAUTH REQUEST', 'XAUTH REPLY', 'mode-cfg SET', 'mode-cfg ACK', 'QM 1', 'QM 2', 'QM 3']));
    const reply = ladder.locator('.rung', { has: page.locator('.label', { hasText: 'XAUTH REPLY' }) });
    expect(await reply.locator('.payloads').innerText()).toContain('XAUTH-USER-PASSWORD=***');
  });

  it('shows where a client with a wrong XAUTH password stopped, with the router\'s refusal line', async () => {
    const client = await connectClient({ gateway: running.router.listening!, password: WRONG_XAUTH_PASSWORD, timing: LOOPBACK_CLIENT_TIMING });
    expect(client.outcome).toBe('failed');
    const ladder = page.locator('.ladder', { has: page.locator('.badge.failed') }).first();
    await ladder.waitFor({ timeout: 10_000 });
    await ladder.locator('.decisive').waitFor({ timeout: 5_000 });
    const payloads = await ladder.locator('.rung .payloads').allInnerTexts();
    expect(payloads.some((text) => text.includes('SET XAUTH-STATUS=0'))).toBe(true);
    // After the refusal the router deletes the ISAKMP SA (its Delete to the client is the last message).
    expect(await ladder.locator('.rung.last .label').innerText()).toBe('Delete');
    expect(await ladder.locator('.decisive').innerText()).toMatch(/XAUTH user user1 refused: wrong password/);
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.screenshot({ path: join('reports', 'web-console.png'), fullPage: true });
  });

  it('stays readable in a narrow window: one column, nothing wider than the window', async () => {
    await page.setViewportSize({ width: 600, height: 900 });
    await page.waitForTimeout(100);
    const widths = await page.evaluate(() => {
      const { document, innerWidth } = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
      return { page: document.documentElement.scrollWidth, window: innerWidth };
    });
    expect(widths.page).toBeLessThanOrEqual(widths.window);
    const console = await page.locator('#console').boundingBox();
    const state = await page.locator('#state').boundingBox();
    expect(state!.y).toBeGreaterThan(console!.y + console!.height - 1);
    await page.screenshot({ path: SCREENSHOT_NARROW, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('counts the SAs\' remaining lifetimes down between pushes', async () => {
    const life = page.locator('#sas tbody tr', { hasText: 'isakmp' }).first().locator('td.life');
    const before = Number(await life.innerText());
    await page.waitForTimeout(1500);
    expect(Number(await life.innerText())).toBeLessThan(before);
  });

  it('downloads a ladder\'s packets as pcap with the administrator password', async () => {
    await page.locator('#admin-password').fill(ADMIN_PASSWORD);
    const downloading = page.waitForEvent('download', { timeout: 10_000 });
    await page.locator('.ladder', { has: page.locator('.badge.established') }).first().locator('button.capture').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^rtxlab-[0-9a-f-]+\.pcap$/);
    expect(await page.locator('#capture-status').innerText()).toMatch(/\d+ datagrams/);
  });

  it('offers the keys beside the pcap: the ikev1_decryption_table record and the esp_sa records of the tunnel', async () => {
    const save = async (selector: string) => {
      const downloading = page.waitForEvent('download', { timeout: 10_000 });
      await page.locator(selector).click();
      const download = await downloading;
      const path = join(profile, download.suggestedFilename());
      await download.saveAs(path);
      return { name: download.suggestedFilename(), lines: readFileSync(path, 'utf8').split('\n').filter((line) => line !== '') };
    };
    const ike = await save('#download-ikev1-keys');
    expect(ike.name).toMatch(/^rtxlab-[0-9a-f-]+\.keys$/);
    expect(ike.lines).toHaveLength(1);
    expect(ike.lines[0]).toMatch(/^[0-9a-f]{16},[0-9a-f]{48}$/);
    const esp = await save('#download-esp-keys');
    expect(esp.name).toBe(`${ike.name}.esp_sa`);
    expect(esp.lines).toHaveLength(2);
    expect(esp.lines[0]).toMatch(/^"IPv4","127\.0\.0\.1","127\.0\.0\.1","0x[0-9a-f]{8}","[^"]+ \[RFC\d+\]","0x[0-9a-f]+","HMAC-[^"]+","0x[0-9a-f]{32,40}"$/);
  });

  it('keeps the login over a reload with a session cookie the page\'s script cannot read (HttpOnly, SameSite=Strict)', async () => {
    const cookies = await browser.cookies(running.web.url);
    expect(cookies.map((cookie) => ({ name: cookie.name, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, expires: cookie.expires }))).toEqual([
      { name: 'rtxlab-session', httpOnly: true, sameSite: 'Strict', expires: -1 },
    ]);
    expect(cookies[0]!.value).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');
    await page.reload();
    await page.locator('#tunnels tbody tr', { hasText: '10.1.1.110' }).waitFor({ timeout: 10_000 });
    await waitForTerminal('> ');
    expect(await terminalText()).not.toContain('Password:');
    expect(await page.locator('#connection').innerText()).toContain('kept');
  });

  it('runs the seed matrix from its button: every row with the verdict rtxlab matrix gives it, and a row opens onto its story and its ladder', async () => {
    await page.locator('#matrix-run').click();
    await page.locator('#matrix-status').filter({ hasText: /rows match the write-up/ }).waitFor({ timeout: 60_000 });
    const rows = page.locator('#matrix .matrix-row');
    expect(await rows.count()).toBe(8);
    const shown = await rows.evaluateAll((items) =>
      items.map((item) => {
        const element = item as unknown as { dataset: { rowId: string }; querySelector(selector: string): { textContent: string | null } | null };
        return [element.dataset.rowId, element.querySelector('.verdict')?.textContent] as const;
      }),
    );
    const reference = await runMatrix();
    expect(shown).toEqual(reference.rows.map((row) => [row.row.id, row.verdict.matches ? 'MATCHES' : 'DIFFERS']));
    const row = page.locator('#matrix .matrix-row[data-row-id="openswan-type-2"]');
    await row.locator('summary').click();
    await row.locator('.ladder').first().waitFor({ state: 'visible', timeout: 5_000 });
    expect(await row.locator('.matrix-facts').innerText()).toContain('payload malformed : no message');
    expect(await row.locator('.ladder .rung .label').allInnerTexts()).toEqual(expect.arrayContaining(['AM 1', 'AM 2', 'AM 3']));
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: join('reports', 'web-console-matrix.png'), fullPage: true });
    // An opened row with its ladder still fits a narrow window.
    await page.setViewportSize({ width: 600, height: 900 });
    await page.waitForTimeout(100);
    const widths = await page.evaluate(() => {
      const { document, innerWidth } = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
      return { page: document.documentElement.scrollWidth, window: innerWidth };
    });
    expect(widths.page).toBeLessThanOrEqual(widths.window);
    await page.setViewportSize({ width: 1280, height: 800 });
    // The live router was not touched: still the one client's tunnel and its ISAKMP SA.
    expect(running.router.ipsecState().isakmpSas).toHaveLength(1);
  });

  it('is usable with the keyboard alone: Alt+digit reaches each panel from the terminal, Tab the ladders, the matrix and the log, with the focus visible', async () => {
    const focused = () =>
      page.evaluate(() => {
        const { document, getComputedStyle } = globalThis as unknown as {
          document: { activeElement: { id: string; tagName: string; className: string; closest(selector: string): { id: string } | null } | null };
          getComputedStyle(element: unknown): { outlineStyle: string; outlineWidth: string };
        };
        const active = document.activeElement!;
        const panel = active.closest('section[data-shortcut]')?.id ?? '';
        const style = getComputedStyle(active);
        return { panel, tag: active.tagName.toLowerCase(), id: active.id, className: String(active.className), outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
      });
    await page.keyboard.press('Alt+1');
    expect(await focused()).toMatchObject({ panel: 'console', className: 'xterm-helper-textarea' });
    // Alt+4 from inside the terminal: the matrix button, not ESC 4 to the console.
    await page.keyboard.press('Alt+4');
    expect(await focused()).toMatchObject({ panel: 'matrix', id: 'matrix-run', outline: true });
    await page.keyboard.press('Tab');
    const summary = await focused();
    expect(summary).toMatchObject({ panel: 'matrix', tag: 'summary', outline: true });
    // Enter opens the row (the first one, vpnc) onto its story.
    await page.keyboard.press('Enter');
    await page.locator('#matrix .matrix-row').first().locator('.matrix-facts').waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.press('Alt+3');
    expect(await focused()).toMatchObject({ panel: 'ladders', className: expect.stringContaining('ladder') as unknown as string, outline: true });
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ panel: 'ladders', tag: 'button', outline: true });
    await page.keyboard.press('Alt+5');
    expect(await focused()).toMatchObject({ panel: 'log', tag: 'pre', outline: true });
    await page.keyboard.press('Alt+2');
    expect(await focused()).toMatchObject({ panel: 'state', id: 'state', outline: true });
    // Tab from the state panel goes on to the administrator password and the ladders' buttons.
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ id: 'admin-password', outline: true });
    await page.keyboard.press('Alt+1');
    expect(await focused()).toMatchObject({ panel: 'console', className: 'xterm-helper-textarea' });
    // The terminal has the keys again: a command typed now reaches the console.
    await type('show environment');
    await waitForTerminal('Elapsed time from boot');
    expect(await terminalText()).not.toContain('\x1b4');
  });

  it('never sent a pre-shared key or a password to the page outside the terminal', async () => {
    await page.locator('#terminal').click();
    await type('console lines infinity');
    await type('show config');
    await waitForTerminal(SEED_PSK);
    await page.waitForTimeout(200);
    const outsideTerminal = received.filter((item) => !(item.channel === 'ws' && item.text.startsWith('{"type":"terminal-output"')));
    expect(outsideTerminal.some((item) => item.text.includes('"type":"state"'))).toBe(true);
    for (const secret of [SEED_PSK, LOGIN_PASSWORD, ADMIN_PASSWORD, WRONG_XAUTH_PASSWORD]) {
      expect(outsideTerminal.filter((item) => item.text.includes(secret)).map((item) => item.channel)).toEqual([]);
    }
  });
});
