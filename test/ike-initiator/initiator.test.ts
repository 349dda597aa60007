import { describe, expect, it } from 'vitest';
import { ExchangeType } from '../../src/ike/constants.js';
import { createOutboundPolicy } from '../../src/router/outbound-policy.js';
import { BRANCH_ADDRESS, ExchangePump, HUB_ADDRESS } from './support/exchange-pump.js';
import { branchConfig, hubConfig } from './support/site-to-site-configs.js';

const addresses = { hubAddress: HUB_ADDRESS, branchAddress: BRANCH_ADDRESS };
const pumpFor = (branchExtra: string[] = [], options: { autoRefresh?: boolean } = {}) =>
  new ExchangePump(branchConfig({ ...addresses, branchExtra, ...options }), hubConfig(addresses));
const count = (lines: readonly string[], text: string) => lines.filter((line) => line === text).length;

const INITIATE_ISAKMP = `[IKE] initiate ISAKMP phase to ${HUB_ADDRESS} (local address ${BRANCH_ADDRESS})`;
const INITIATE_IPSEC = `[IKE] initiate IPsec phase to ${HUB_ADDRESS}`;

describe('the router as Aggressive Mode initiator (ipsec ike local name) against an RTX responder (ipsec ike remote name)', () => {
  it('with ipsec auto refresh on, starts the exchange at start and brings the tunnel up with matching SA pairs', () => {
    const pump = pumpFor();
    pump.start();
    expect(pump.branchLog).toEqual(expect.arrayContaining([INITIATE_ISAKMP, INITIATE_IPSEC, 'IP Tunnel[1] Up']));
    expect(pump.branchLog.indexOf(INITIATE_ISAKMP)).toBeLessThan(pump.branchLog.indexOf(INITIATE_IPSEC));
    expect(pump.hubLog).toEqual(expect.arrayContaining([`[IKE] respond ISAKMP phase to ${BRANCH_ADDRESS}`, `[IKE] respond IPsec phase to ${BRANCH_ADDRESS}`, 'IP Tunnel[1] Up']));
    const [branch] = pump.branchInstalled;
    const [hub] = pump.hubInstalled;
    expect(branch!.outbound.spi).toEqual(hub!.inbound.spi);
    expect(branch!.outbound.encryptionKey).toEqual(hub!.inbound.encryptionKey);
    expect(branch!.inbound.integrityKey).toEqual(hub!.outbound.integrityKey);
    // force=on: message 3 and Quick Mode float to the NAT-T port, ESP is UDP-encapsulated.
    expect(branch!.udpEncapsulated).toBe(true);
    expect(branch!.peer).toEqual({ address: HUB_ADDRESS, port: 4500 });
    expect(pump.branchSends()[0]).toMatchObject({ to: { address: HUB_ADDRESS, port: 500 }, natTraversal: false });
    expect(pump.branchSends().at(-1)).toMatchObject({ to: { address: HUB_ADDRESS, port: 4500 }, natTraversal: true });
  });

  it('with ipsec ike pfs on offers PFS in the Phase 2 group and the responder follows (§15.30)', () => {
    const quickMode1Payloads = (pump: ExchangePump) =>
      pump.hubMessagesIn.filter((message) => message.header.exchangeType === ExchangeType.QUICK_MODE)[0]?.payloads?.map((payload) => payload.type);
    const withPfs = pumpFor(['ipsec ike pfs 1 on']);
    withPfs.start();
    expect(withPfs.branchLog).toContain('IP Tunnel[1] Up');
    expect(quickMode1Payloads(withPfs)).toEqual(['hash', 'sa', 'nonce', 'ke']);
    const withoutPfs = pumpFor();
    withoutPfs.start();
    expect(quickMode1Payloads(withoutPfs)).toEqual(['hash', 'sa', 'nonce']);
  });

  it.each([
    ['Aggressive Mode message 3', 2],
    ['Quick Mode message 3', 4],
  ])('%s lost: the responder resends its message 2 and gets the same last message again', (_name, ordinal) => {
    const pump = pumpFor();
    pump.loseFromBranch.add(ordinal);
    pump.start();
    expect(pump.hubInstalled).toHaveLength(0);
    // Within two retry intervals: the hub's resend of message 2 brings the lost message back,
    // and (Aggressive case) the Quick Mode the hub could not read yet is sent again.
    pump.advance(10_000);
    expect(pump.hubInstalled).toHaveLength(1);
    expect(pump.branchInstalled).toHaveLength(1);
    expect(pump.hubInstalled[0]!.inbound.spi).toEqual(pump.branchInstalled[0]!.outbound.spi);
  });

  it('without auto refresh stays silent until traffic wants the tunnel', () => {
    const pump = pumpFor([], { autoRefresh: false });
    pump.start();
    pump.advance(60_000);
    expect(pump.sent).toEqual([]);
    pump.fromBranch(pump.initiator.trafficWithoutSa(1, pump.now));
    expect(pump.branchLog).toContain('IP Tunnel[1] Up');
  });

  it('retransmits per ipsec ike retry COUNT INTERVAL, then logs the timeout and pauses before trying again', () => {
    const pump = pumpFor(['ipsec ike duration ipsec-sa 1 300']);
    pump.hubUp = false;
    pump.start();
    // 1 message 1 + 10 retransmissions, 5 s apart (the default `ipsec ike retry 10 5`), and a
    // last interval for the answer to the last one.
    pump.advance(10 * 5_000);
    expect(pump.branchLog).not.toContain(`[IKE] ISAKMP phase to ${HUB_ADDRESS} timed out`);
    pump.advance(5_000);
    expect(pump.branchSends()).toHaveLength(11);
    expect(pump.branchLog).toContain(`[IKE] ISAKMP phase to ${HUB_ADDRESS} timed out`);
    pump.advance(49_000);
    expect(count(pump.branchLog, INITIATE_ISAKMP)).toBe(1);
    pump.hubUp = true;
    pump.advance(2_000);
    expect(count(pump.branchLog, INITIATE_ISAKMP)).toBe(2);
    expect(pump.branchLog).toContain('IP Tunnel[1] Up');
  });

  it('honours a configured ipsec ike retry', () => {
    const pump = new ExchangePump(branchConfig({ ...addresses }).concat('ipsec ike retry 3 2\n'), hubConfig(addresses));
    pump.hubUp = false;
    pump.start();
    pump.advance(4 * 2_000);
    expect(pump.branchSends()).toHaveLength(4);
    expect(pump.branchLog).toContain(`[IKE] ISAKMP phase to ${HUB_ADDRESS} timed out`);
  });

  it('with ipsec ike always-on on starts again at once after a failure', () => {
    const pump = pumpFor(['ipsec ike always-on 1 on']);
    pump.hubUp = false;
    pump.start();
    pump.advance(11 * 5_000);
    expect(count(pump.branchLog, INITIATE_ISAKMP)).toBe(2);
  });

  it('rekeys the IPsec SA at the rekey percentage of its lifetime and cuts the old pair to 30 s', () => {
    const pump = pumpFor(['ipsec ike duration ipsec-sa 1 300 rekey 80%']);
    pump.start();
    expect(count(pump.branchLog, INITIATE_IPSEC)).toBe(1);
    pump.advance(239_000);
    expect(count(pump.branchLog, INITIATE_IPSEC)).toBe(1);
    pump.advance(1_000);
    expect(count(pump.branchLog, INITIATE_IPSEC)).toBe(2);
    expect(pump.branchInstalled).toHaveLength(2);
    expect(pump.hubInstalled).toHaveLength(2);
    expect(pump.branchRemoved).toHaveLength(0);
    pump.advance(30_000);
    expect(pump.branchRemoved).toEqual([expect.objectContaining({ reason: 'expired', tunnelWentDown: false, inboundSpi: pump.branchInstalled[0]!.inbound.spi })]);
    expect(pump.branchLog).not.toContain('IP Tunnel[1] Down');
  });

  it('rekeys the ISAKMP SA at its percentage and runs later Quick Modes under the new one', () => {
    const pump = pumpFor(['ipsec ike duration isakmp-sa 1 300 rekey 70%', 'ipsec ike duration ipsec-sa 1 600']);
    pump.start();
    pump.advance(210_000);
    expect(count(pump.branchLog, INITIATE_ISAKMP)).toBe(2);
    pump.advance(240_000); // past the IPsec SA's 75 % (450 s)
    expect(count(pump.branchLog, INITIATE_IPSEC)).toBe(2);
    expect(pump.branchInstalled).toHaveLength(2);
  });

  it('restrict-dangling-sa auto: the IPsec SAs go with the expired ISAKMP SA of an Aggressive Mode initiator', () => {
    const pump = pumpFor(['ipsec ike duration isakmp-sa 1 300 rekey off', 'ipsec ike duration ipsec-sa 1 600'], { autoRefresh: false });
    pump.fromBranch(pump.initiator.start(branchSockets(), pump.now));
    pump.fromBranch(pump.initiator.trafficWithoutSa(1, pump.now));
    pump.advance(300_000);
    expect(pump.branchLog).toContain(`[IKE] ISAKMP SA with ${HUB_ADDRESS} expired`);
    expect(pump.branchLog).toContain('IP Tunnel[1] Down');
  });

  it('restrict-dangling-sa off: the IPsec SA outlives its ISAKMP SA', () => {
    const pump = pumpFor(['ipsec ike duration isakmp-sa 1 300 rekey off', 'ipsec ike duration ipsec-sa 1 600', 'ipsec ike restrict-dangling-sa 1 off'], { autoRefresh: false });
    pump.fromBranch(pump.initiator.start(branchSockets(), pump.now));
    pump.fromBranch(pump.initiator.trafficWithoutSa(1, pump.now));
    pump.advance(300_000);
    expect(pump.branchLog).toContain(`[IKE] ISAKMP SA with ${HUB_ADDRESS} expired`);
    expect(pump.branchLog).not.toContain('IP Tunnel[1] Down');
  });

  it('logs the tunnel down when the peer is gone and the SA ends (no keepalive: detected at expiry)', () => {
    const pump = pumpFor(['ipsec ike duration ipsec-sa 1 300']);
    pump.start();
    pump.hubUp = false;
    pump.advance(300_000);
    expect(count(pump.branchLog, INITIATE_IPSEC)).toBe(2);
    expect(pump.branchLog).toContain('IP Tunnel[1] Down');
  });

  it('ipsec refresh sa removes its SAs without a word to the peer and starts again under auto refresh', () => {
    const pump = pumpFor();
    pump.start();
    const sentBefore = pump.branchSends().length;
    const { removed, effects } = pump.initiator.refresh(pump.now);
    expect(removed).toBe(1);
    pump.fromBranch(effects);
    expect(pump.branchRemoved).toEqual([expect.objectContaining({ reason: 'deleted-by-operator', tunnelWentDown: true })]);
    expect(count(pump.branchLog, INITIATE_ISAKMP)).toBe(2);
    expect(pump.branchSends().length).toBeGreaterThan(sentBefore);
    expect(pump.branchLog.filter((line) => line === 'IP Tunnel[1] Up')).toHaveLength(2);
  });

  it('sends nothing to a peer the outbound policy refuses, and says so once', () => {
    const hub = '198.51.100.7';
    const pump = new ExchangePump(branchConfig({ hubAddress: hub, branchAddress: BRANCH_ADDRESS }), hubConfig(addresses), {
      outbound: createOutboundPolicy({ allowOutbound: false, hostAddresses: [] }),
    });
    pump.start();
    pump.advance(600_000);
    expect(pump.sent).toEqual([]);
    expect(pump.branchLog.filter((line) => line.includes(hub))).toEqual([
      `IKE to ${hub} not sent: rtxlab sends only to loopback and this host's own addresses unless started with --allow-outbound`,
    ]);
  });
});

function branchSockets() {
  return { ike: { address: BRANCH_ADDRESS, port: 500 }, natt: { address: BRANCH_ADDRESS, port: 4500 }, peerIkePort: 500, peerNattPort: 4500 };
}

describe('the router as Main Mode initiator (no ipsec ike local name) against an RTX responder with its fixed address', () => {
  const mainPump = (branchExtra: string[] = [], hubKey?: string) =>
    new ExchangePump(
      branchConfig({ ...addresses, exchange: 'main', branchExtra }),
      hubConfig({ ...addresses, exchange: 'main', ...(hubKey === undefined ? {} : { hubKey }) }),
    );
  const mainModeMessages = (pump: ExchangePump) => pump.hubMessagesIn.filter((message) => message.header.exchangeType === ExchangeType.IDENTITY_PROTECTION);

  it('with ipsec auto refresh on, runs messages 1-6 and Quick Mode and brings the tunnel up with matching SA pairs', () => {
    const pump = mainPump();
    pump.start();
    expect(pump.branchLog).toEqual(expect.arrayContaining([INITIATE_ISAKMP, INITIATE_IPSEC, 'IP Tunnel[1] Up']));
    expect(pump.hubLog).toEqual(expect.arrayContaining([`[IKE] respond ISAKMP phase to ${BRANCH_ADDRESS}`, 'IP Tunnel[1] Up']));
    // Three messages from the branch in Main Mode: 1 and 3 in clear, 5 encrypted.
    expect(mainModeMessages(pump).map((message) => (message.header.flags & 1) === 1)).toEqual([false, false, true]);
    const [branch] = pump.branchInstalled;
    const [hub] = pump.hubInstalled;
    expect(branch!.outbound.spi).toEqual(hub!.inbound.spi);
    expect(branch!.inbound.encryptionKey).toEqual(hub!.outbound.encryptionKey);
    // force=on: message 5 floats to the NAT-T port (RFC 3947 §4), messages 1 and 3 stay on 500.
    const sends = pump.branchSends();
    expect(sends.slice(0, 2).map((sent) => sent.to.port)).toEqual([500, 500]);
    expect(sends[2]).toMatchObject({ to: { address: HUB_ADDRESS, port: 4500 }, natTraversal: true });
  });

  it('identifies itself by its address (IDii ID_IPV4_ADDR), which the hub compares with the configured peer', () => {
    const pump = mainPump();
    pump.start();
    const message5 = mainModeMessages(pump)[2]!;
    const id = message5.payloads?.find((payload) => payload.type === 'id');
    expect(id).toMatchObject({ type: 'id', idType: 1 });
  });

  it('with different pre-shared keys the hub refuses message 5 and both log why; nothing is installed', () => {
    const pump = mainPump([], 'other-secret');
    pump.start();
    pump.advance(5_000);
    expect(pump.branchInstalled).toHaveLength(0);
    expect(pump.hubInstalled).toHaveLength(0);
    expect(pump.branchLog).not.toContain('IP Tunnel[1] Up');
    // The hub cannot open message 5 and says so by notify; the branch logs the failure.
    expect(pump.hubLog).toContain(`[IKE] message 5 does not decrypt, pre-shared key may differ (${BRANCH_ADDRESS})`);
    expect(pump.branchLog).toContain(`[IKE] ISAKMP phase to ${HUB_ADDRESS} failed: the responder sent PAYLOAD-MALFORMED`);
  });

  it.each([
    ['message 1', 1],
    ['message 3', 2],
    ['message 5', 3],
  ])('%s lost: resent after the retry interval and the tunnel comes up', (_name, ordinal) => {
    const pump = mainPump();
    pump.loseFromBranch.add(ordinal);
    pump.start();
    pump.advance(10_000);
    expect(pump.branchLog).toContain('IP Tunnel[1] Up');
    expect(pump.hubInstalled).toHaveLength(1);
    expect(pump.hubInstalled[0]!.inbound.spi).toEqual(pump.branchInstalled[0]!.outbound.spi);
  });

  it('rekeys the ISAKMP SA and the IPsec SA at their percentages through the injected clock, the tunnel staying up', () => {
    const pump = mainPump(['ipsec ike duration isakmp-sa 1 300 rekey 70%', 'ipsec ike duration ipsec-sa 1 300 rekey 80%']);
    pump.start();
    pump.advance(240_000);
    expect(count(pump.branchLog, INITIATE_ISAKMP)).toBe(2);
    expect(count(pump.branchLog, INITIATE_IPSEC)).toBe(2);
    expect(pump.branchInstalled).toHaveLength(2);
    expect(pump.hubInstalled).toHaveLength(2);
    expect(pump.branchLog).not.toContain('IP Tunnel[1] Down');
  });
});

describe("keepalives under the router's own ISAKMP SA (ipsec ike keepalive use GW on dpd|heartbeat, §15.21)", () => {
  const keepalivePump = (method: string, exchange: 'aggressive' | 'main' = 'main') =>
    new ExchangePump(
      branchConfig({ ...addresses, exchange, branchExtra: [`ipsec ike keepalive use 1 on ${method}`, 'ipsec ike duration isakmp-sa 1 3600', 'ipsec ike duration ipsec-sa 1 3600'] }).concat('syslog debug on\n'),
      hubConfig({ ...addresses, exchange, hubExtra: [`ipsec ike keepalive use 1 on ${method}`, 'ipsec ike duration isakmp-sa 1 3600', 'ipsec ike duration ipsec-sa 1 3600'] }).concat('syslog debug on\n'),
    );
  const matching = (lines: readonly string[], pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;

  it('DPD both ways: each side sends R-U-THERE every interval and answers the other, and the tunnel stays up', () => {
    const pump = keepalivePump('dpd 10 3');
    pump.start();
    expect(pump.branchLog).toContain('IP Tunnel[1] Up');
    pump.advance(60_000);
    expect(matching(pump.branchLog, new RegExp(`^\\[IKE\\] keepalive R-U-THERE sent to ${HUB_ADDRESS} `))).toBeGreaterThanOrEqual(5);
    expect(matching(pump.branchLog, new RegExp(`^\\[IKE\\] keepalive dpd-ack from ${HUB_ADDRESS} `))).toBeGreaterThanOrEqual(5);
    expect(matching(pump.branchLog, new RegExp(`^\\[IKE\\] DPD R-U-THERE from ${HUB_ADDRESS} \\(sequence \\d+\\), R-U-THERE-ACK sent`))).toBeGreaterThanOrEqual(5);
    expect(matching(pump.hubLog, new RegExp(`^\\[IKE\\] keepalive dpd-ack from ${BRANCH_ADDRESS} `))).toBeGreaterThanOrEqual(5);
    expect(pump.branchLog.join('\n')).not.toContain('does not answer');
    expect(pump.hubLog.join('\n')).not.toContain('does not answer');
    expect(pump.branchLog).not.toContain('IP Tunnel[1] Down');
  });

  it('DPD: when the hub is gone the branch gives it up after count intervals, logs the tunnel down, and tries again under auto refresh', () => {
    const pump = keepalivePump('dpd 10 3');
    pump.start();
    pump.hubUp = false;
    pump.advance(45_000);
    expect(pump.branchLog).toContain(`[IKE] ${HUB_ADDRESS} does not answer (keepalive dpd: no answer for 3 x 10 s): its SAs are removed`);
    expect(pump.branchLog.at(-1)).toBe('IP Tunnel[1] Down');
    expect(pump.branchRemoved).toEqual([expect.objectContaining({ reason: 'dead-peer', tunnelWentDown: true })]);
    pump.hubUp = true;
    pump.advance(60_000);
    expect(count(pump.branchLog, 'IP Tunnel[1] Up')).toBe(2);
  });

  it('rtxlab heartbeat between two rtxlab routers (assumed format): each hears the other, and a silent branch is given up by the hub', () => {
    const pump = keepalivePump('heartbeat 10 3', 'aggressive');
    pump.start();
    pump.advance(60_000);
    expect(matching(pump.branchLog, /^\[IKE\] keepalive heartbeat from /)).toBeGreaterThanOrEqual(5);
    expect(matching(pump.hubLog, /^\[IKE\] keepalive heartbeat from /)).toBeGreaterThanOrEqual(5);
    expect(pump.hubLog.join('\n')).not.toContain('does not answer');
  });

  it("the hub's Deletes (ipsec sa delete all there) remove the branch's pair and its ISAKMP SA; auto refresh brings the tunnel up again", () => {
    const pump = keepalivePump('dpd 10 3');
    pump.start();
    pump.fromHub(pump.responder.deleteSas('all', pump.now).effects);
    expect(pump.branchRemoved).toEqual([expect.objectContaining({ reason: 'deleted-by-peer', tunnelWentDown: true })]);
    expect(pump.branchLog).toContain(`[IKE] ISAKMP SA with ${HUB_ADDRESS} deleted by the peer`);
    // Not at once (a peer that deletes every new pair would get a Quick Mode per round trip): after one retry interval.
    pump.advance(4_000);
    expect(count(pump.branchLog, 'IP Tunnel[1] Up')).toBe(1);
    pump.advance(2_000);
    expect(count(pump.branchLog, 'IP Tunnel[1] Up')).toBe(2);
  });
});

describe('Quick Mode refused by notify', () => {
  it('an error notify under the ISAKMP SA while Quick Mode waits fails the Quick Mode at once (logged), instead of resending message 1', () => {
    // The hub negotiates strictly with an AES policy: it refuses the branch's 3DES proposal by notify.
    const pump = new ExchangePump(
      branchConfig({ ...addresses, exchange: 'main' }),
      hubConfig({ ...addresses, exchange: 'main', hubExtra: ['ipsec ike negotiate-strictly 1 on'] }).replace('ipsec sa policy 101 1 esp 3des-cbc sha-hmac', 'ipsec sa policy 101 1 esp aes-cbc sha-hmac'),
    );
    pump.start();
    expect(pump.branchLog).toContain(INITIATE_IPSEC);
    expect(pump.branchLog).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^\\[IKE\\] IPsec phase to ${HUB_ADDRESS} failed: the responder sent `))]));
    const quickModeSends = pump.branchSends().length;
    pump.advance(5_000);
    // Failed, so paused: no retransmission of message 1 at the retry interval.
    expect(pump.branchSends().length).toBe(quickModeSends);
  });
});
