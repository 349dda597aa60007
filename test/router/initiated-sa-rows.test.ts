/**
 * `show ipsec sa` through the console lists the SAs the router itself initiated (its ISAKMP SA
 * and the IPsec SA pair of its site-to-site tunnel) as it lists the SAs it answered: two routers
 * in one process, the branch initiating (Aggressive Mode), the hub answering, on an injected clock.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/router/clock.js';
import { RtxRouter } from '../../src/router/rtx-router.js';
import { TestTerminal } from '../console/support/test-terminal.js';
import { branchConfig, hubConfig } from '../ike-initiator/support/site-to-site-configs.js';
import { routersInProcess } from './support/routers-in-process.js';

const HUB = '127.20.21.2';
const BRANCH = '127.20.21.3';
const PORTS = { ikePort: 26_600, nattPort: 26_550 } as const;

const start = routersInProcess(PORTS);

function openConsole(router: RtxRouter): TestTerminal {
  const terminal = new TestTerminal(router);
  terminal.start();
  terminal.line('console lines infinity');
  terminal.line('console character ascii');
  return terminal;
}

/** The lines a command printed, without the echo and the prompt. */
const answer = (terminal: TestTerminal, command: string) =>
  terminal
    .line(command)
    .split(/\r?\n/)
    .slice(1, -1)
    .map((line) => line.trimEnd());

describe('show ipsec sa on the initiating router (two routers in one process)', () => {
  it('lists the ISAKMP SA and the IPsec SA pair the branch initiated, numbered and aged as the responder rows', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 5, 9, 0, 0));
    const hub = await start(hubConfig({ hubAddress: HUB, branchAddress: BRANCH }), HUB, { clock });
    const hubUp = hub.waitFor('tunnel-up');
    const branch = await start(
      branchConfig({ hubAddress: HUB, branchAddress: BRANCH, branchExtra: ['ipsec ike duration isakmp-sa 1 3600', 'ipsec ike duration ipsec-sa 1 1800'] }),
      BRANCH,
      { clock },
    );
    await branch.waitFor('tunnel-up');
    await hubUp;
    clock.advance(100_000);

    expect(answer(openConsole(branch), 'show ipsec sa')).toEqual([
      'Total: isakmp:1 send:1 recv:1',
      '',
      'sa   sgw isakmp connection   dir  life[s] remote-id',
      '-'.repeat(77),
      `1     1    -    isakmp       -    3500    ${HUB}`,
      `2     1    1    tun[001]esp  recv 1700    ${HUB}`,
      `3     1    1    tun[001]esp  send 1700    ${HUB}`,
    ]);
    // The hub answered: the same table from its side (the lifetimes the branch proposed).
    expect(answer(openConsole(hub), 'show ipsec sa')).toEqual([
      'Total: isakmp:1 send:1 recv:1',
      '',
      'sa   sgw isakmp connection   dir  life[s] remote-id',
      '-'.repeat(77),
      `1     1    -    isakmp       -    3500    ${BRANCH}`,
      `2     1    1    tun[001]esp  recv 1700    ${BRANCH}`,
      `3     1    1    tun[001]esp  send 1700    ${BRANCH}`,
    ]);
  });

  it('the gateway and detail forms and show status tunnel cover the initiated SAs; after ipsec refresh sa the rows go', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 5, 9, 0, 0));
    const hub = await start(hubConfig({ hubAddress: HUB, branchAddress: BRANCH }), HUB, { clock });
    const hubUp = hub.waitFor('tunnel-up');
    const branch = await start(branchConfig({ hubAddress: HUB, branchAddress: BRANCH }), BRANCH, { clock });
    await branch.waitFor('tunnel-up');
    await hubUp;
    clock.advance(42_000);
    const terminal = openConsole(branch);

    expect(answer(terminal, 'show ipsec sa gateway 1')).toEqual([
      'sgw  flags local-id                      remote-id        # of sa',
      '-'.repeat(74),
      `1    U     ${BRANCH.padEnd(29)} ${HUB.padEnd(16)} i:1 s:1 r:1`,
    ]);
    const detail = answer(terminal, 'show ipsec sa detail');
    expect(detail.slice(0, 5)).toEqual(['SA[1] Duration: 42s', `Local ID: ${BRANCH}`, `Remote ID: ${HUB}`, 'Protocol: IKE', 'Algorithm: 3DES-CBC, SHA-1, MODP 1024bit']);
    expect(detail).toContain('SA[3] Duration: 42s');
    expect(detail).toContain('Direction: send');
    expect(detail).toContain('Algorithm: 3DES-CBC (for Auth.: HMAC-SHA)');
    // The SPI printed for the send SA is the one the branch's ESP carries (the hub's inbound SPI).
    const sendRow = branch.ipsecState().ipsecSas.find((row) => row.direction === 'send');
    const hubInbound = hub.ipsecState().ipsecSas.find((row) => row.direction === 'recv');
    expect(sendRow!.spi.equals(hubInbound!.spi)).toBe(true);
    expect(detail).toContain(`SPI: ${[...sendRow!.spi].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);

    const status = answer(terminal, 'show status tunnel 1');
    expect(status).toContain('  Current status is Online.');
    expect(status.some((line) => /^ {2}42 seconds? {2}connection\.$/.test(line))).toBe(true);

    const upAgain = branch.waitFor('tunnel-up');
    expect(branch.refreshSa()).toBe(1);
    expect(answer(terminal, 'show ipsec sa')[0]).toBe('Total: isakmp:0 send:0 recv:0');
    await upAgain;
    const again = answer(terminal, 'show ipsec sa');
    expect(again[0]).toBe('Total: isakmp:1 send:1 recv:1');
    // The numbers freed by the refresh are taken again (lowest free number, as the responder's).
    expect(again.slice(4).map((line) => line.split(/\s+/)[0])).toEqual(['1', '2', '3']);
  });
});
