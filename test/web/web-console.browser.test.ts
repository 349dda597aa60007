/**
 * The web console in a real browser: Debian's chromium driven by playwright-core, loading only
 * the page on 127.0.0.1. Skipped outside CI when chromium is not installed (CI installs it:
 * scripts/install-peers.sh).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../../src/initiator/connect-client.js';
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
