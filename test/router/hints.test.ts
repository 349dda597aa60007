/**
 * rtxlab's hints: one `rtxlab:` explanation where rtxlab can say more than an RTX, as `hint`
 * events only: never in `show log` (so never in syslog, a console or the matrix's decisive line),
 * once per negotiation, and none at all under `hints: false`.
 */
import { describe, expect, it } from 'vitest';
import { runTunnelSession } from '../../src/initiator/index.js';
import { CLIENT_PROFILES, SEED_CLIENT_INPUTS, profileTunnel, type ProfileName, type ProfileOverrides } from '../../src/initiator/profiles/index.js';
import { MATRIX_TIMING } from '../../src/matrix/run-row.js';
import { seedRouterConfig } from '../../src/matrix/router-configs.js';
import { HintWatcher } from '../../src/router/hints.js';
import type { DecodedIkeMessage, RouterEvent } from '../../src/router/rtx-router-api.js';
import { RtxRouter } from '../../src/router/rtx-router.js';

const PEER = { address: '192.0.2.7', port: 500 };
const COOKIES = { initiator: '0102030405060708', responder: '1112131415161718' };

function message(direction: 'in' | 'out', exchange: string, encrypted: boolean, payloads: DecodedIkeMessage['payloads'] = []): RouterEvent {
  return { type: 'ike-message', message: { direction, time: 0, peer: PEER, cookies: COOKIES, exchange, messageId: 0, encrypted, payloads, retransmission: false } };
}

function logLine(text: string): RouterEvent {
  return { type: 'log', entry: { time: 0, level: 'info', message: text, line: text } };
}

function watcher(): HintWatcher {
  return new HintWatcher({ gatewaySuites: () => [{ gatewayId: 1, suite: '3des-cbc sha modp1024' }] });
}

const MESSAGE_1 = message('in', 'AGGRESSIVE', false, [{ name: 'SA', detail: 'ISAKMP #1 [AES-CBC/128 SHA MODP-2048 XAUTHInitPreShared]' }]);
const MESSAGE_2 = message('out', 'AGGRESSIVE', false, [{ name: 'SA' }]);

describe('hint watcher', () => {
  it('infers a wrong pre-shared key from an encrypted Informational answering message 2', () => {
    const hints = watcher();
    hints.observe(MESSAGE_1);
    hints.observe(MESSAGE_2);
    const said = hints.observe(message('in', 'INFORMATIONAL', true));
    expect(said).toHaveLength(1);
    expect(said[0]!.text).toMatch(/pre-shared keys differ/);
    // The client stopped in Phase 1, though what it sent was an Informational.
    expect(said[0]!.exchange).toBe('AGGRESSIVE');
  });

  it('infers a wrong pre-shared key from an encrypted message 3 that does not decrypt to a valid message', () => {
    const hints = watcher();
    hints.observe(MESSAGE_1);
    hints.observe(MESSAGE_2);
    hints.observe(message('in', 'AGGRESSIVE', true));
    expect(hints.observe(logLine('[IKE] payload malformed (192.0.2.7): payload length beyond the message'))[0]?.text).toMatch(/pre-shared keys most likely differ/);
  });

  it("names payload type 3 for the seed's refusal of an encrypted message 3, and does not blame the key", () => {
    const hints = watcher();
    hints.observe(MESSAGE_1);
    hints.observe(MESSAGE_2);
    hints.observe(message('in', 'AGGRESSIVE', true));
    const said = hints.observe(logLine('[IKE] payload malformed : no message (192.0.2.7)'));
    expect(said).toHaveLength(1);
    expect(said[0]!.text).toMatch(/ipsec ike payload type GW 3/);
    expect(said[0]!.text).not.toMatch(/pre-shared/);
  });

  it('says nothing of keys when the Informational comes after the ISAKMP SA is up', () => {
    const hints = watcher();
    hints.observe(MESSAGE_1);
    hints.observe(MESSAGE_2);
    hints.observe({ type: 'isakmp-sa-up', number: 1, gatewayId: 1, peer: PEER, cookies: COOKIES, cipher: '3des-cbc', hash: 'sha1', group: 2, message3Encrypted: true });
    expect(hints.observe(message('in', 'INFORMATIONAL', true))).toEqual([]);
  });

  it("names both sides' proposals when none is common, once per negotiation, under the Aggressive Mode exchange", () => {
    const hints = watcher();
    hints.observe(MESSAGE_1);
    const said = hints.observe(logLine('[IKE] no proposal chosen (192.0.2.7)'));
    expect(said[0]!.exchange).toBe('AGGRESSIVE');
    expect(said[0]!.text).toContain('AES-CBC/128 SHA MODP-2048');
    expect(said[0]!.text).toContain('3des-cbc sha modp1024');
    expect(hints.observe(logLine('[IKE] no proposal chosen (192.0.2.7)'))).toEqual([]);
    hints.observe(MESSAGE_1);
    expect(hints.observe(logLine('[IKE] no proposal chosen (192.0.2.7)'))).toHaveLength(1);
  });
});

async function runAgainstRouter(profile: ProfileName, config: string, overrides: ProfileOverrides, hints?: boolean) {
  const router = await RtxRouter.create({ config: { text: config }, bind: '127.0.0.1', ikePort: 0, nattPort: 0, ...(hints === undefined ? {} : { hints }) });
  const said: string[] = [];
  const exchanges: string[] = [];
  router.on('hint', (event) => {
    said.push(event.text);
    exchanges.push(event.exchange);
  });
  const listening = await router.start();
  try {
    const built = profileTunnel(CLIENT_PROFILES[profile], { ...SEED_CLIENT_INPUTS, localAddress: '127.0.0.1' }, overrides);
    if (!built.ok) throw new Error(built.text);
    await runTunnelSession({ gateway: { address: '127.0.0.1', port: listening.ike.port, natTPort: listening.natt.port }, local: { address: '127.0.0.1' }, tunnel: built.options, timing: MATRIX_TIMING, whenEstablished: 'delete' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { said, exchanges, log: router.logEntries().map((entry) => entry.line) };
  } finally {
    await router.stop();
  }
}

describe('hints from a running router', () => {
  const SEED = seedRouterConfig({ payloadType3: true });

  it('a client that pulls mode-cfg: one hint naming pull = no, under the Transaction exchange, and none of it in show log', async () => {
    const { said, exchanges, log } = await runAgainstRouter('strongswan-5.9', SEED, { pull: true });
    expect(said.filter((text) => /pulls its address/.test(text))).toHaveLength(1);
    expect(exchanges[said.findIndex((text) => /pulls its address/.test(text))]).toBe('TRANSACTION');
    expect(said.join('\n')).toMatch(/pull = no/);
    expect(log.join('\n')).not.toMatch(/rtxlab|pulls its address/);
  });

  it("OpenSWAN's valued mode-cfg ACK: a hint naming `set openswan`", async () => {
    const { said, exchanges } = await runAgainstRouter('openswan-2.6.16-xauth-mode-cfg', SEED, {});
    expect(said.join('\n')).toMatch(/ipsec ike mode-cfg method GW set openswan/);
    expect(exchanges).toEqual(['TRANSACTION']);
  });

  it('no common proposal: a hint with what the client offered and what the router takes', async () => {
    const { said, exchanges } = await runAgainstRouter('strongswan-5.9', SEED, { ike: { encryption: 'aes128-cbc', hash: 'sha1', group: 14 } });
    expect(said.join('\n')).toMatch(/MODP-2048.*the router takes gateway 1: 3des-cbc sha modp1024/);
    expect(exchanges).toEqual(['AGGRESSIVE']);
  });

  it('no common Quick Mode proposal: the IPsec phase refusal is logged as such and the hint names the Quick Mode exchange', async () => {
    const { said, exchanges, log } = await runAgainstRouter('strongswan-5.9', SEED, { esp: { encryption: 'aes256-cbc', integrity: 'hmac-sha1-96' } });
    expect(log.join('\n')).toMatch(/\[IKE\] IPsec phase with 127\.0\.0\.1 refused: no proposal chosen: /);
    expect(log.join('\n')).not.toMatch(/transaction from .* ignored/);
    expect(exchanges).toEqual(['QUICK_MODE']);
    expect(said[0]).toMatch(/no common Quick Mode \(IPsec\) proposal with 127\.0\.0\.1 .*ipsec sa policy/);
  });

  it('hints: false: no hint events at all', async () => {
    const { said } = await runAgainstRouter('strongswan-5.9', SEED, { pull: true }, false);
    expect(said).toEqual([]);
  });
});
