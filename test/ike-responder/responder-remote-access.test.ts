/**
 * The RTX remote-access exchange against RtxIkeResponder, driven by the bundled initiator's
 * functions (support.ts ClientFlow): Aggressive Mode, XAUTH, the mode-cfg push, Quick Mode, and
 * what the router keeps afterwards.
 */
import { describe, expect, it } from 'vitest';
import { ExchangeType, NotifyType, ProtocolId } from '../../src/ike/constants.js';
import { encodeMessage, hashPayload, noncePayload } from '../../src/ike/codec/index.js';
import { DEFAULT_RESPONDER_LIMITS } from '../../src/ike-responder/responder.js';
import { OPENSWAN_2_6_16_XAUTH_MODE_CFG } from '../../src/initiator/profiles/index.js';
import { RACOON_XAUTH, SEED_PROPOSAL, STRONGSWAN_PULL_MODE_CFG, VPNC_XAUTH, parseInformational, vpncModeCfg, type IsakmpSa } from '../../src/initiator/index.js';
import type { ResponderEffect } from '../../src/ike-responder/port.js';
import {
  CLIENT,
  ClientFlow,
  T0,
  connectSeedClient,
  establish,
  logLines,
  newRemoteAccessResponder,
  onlySend,
  openSentTransaction,
  seedTunnelGateway,
  seedXauthUsers,
  sends,
} from './support.js';

/** A Quick Mode message 1 with the SA's live cookies, sent in clear: anyone who saw the cookies could send it. */
function unprotectedQuickMode1(sa: IsakmpSa, messageId: number): Buffer {
  return encodeMessage({ initiatorCookie: sa.initiatorCookie, responderCookie: sa.responderCookie, exchangeType: ExchangeType.QUICK_MODE, flags: 0, messageId }, [
    hashPayload(Buffer.alloc(20)),
    noncePayload(Buffer.alloc(16, 7)),
  ]);
}

const installed = (effects: readonly ResponderEffect[]) =>
  effects.flatMap((effect) => (effect.kind === 'ipsec-sa-installed' ? [effect.sa] : []));

describe('remote access on the seed config: XAUTH, mode-cfg push, Quick Mode', () => {
  it('asks for XAUTH, pushes 10.1.1.110/32, answers Quick Mode and brings tunnel 1 up', () => {
    const responder = newRemoteAccessResponder();
    const { flow, steps } = connectSeedClient(responder);
    expect(logLines(steps.setEffects)).toEqual(['[IKE] XAUTH user user1 authenticated (192.0.2.132)']);
    expect(logLines(steps.pushEffects)).toEqual(['[IKE] mode-cfg: 10.1.1.110 assigned to user user1 (192.0.2.132)']);
    expect(flow.modeCfg).toMatchObject({ address: '10.1.1.110', netmask: '255.255.255.255', source: 'set' });
    expect(sends(steps.doneEffects)).toEqual([]);

    const { espSas, message2Effects, effects } = flow.quickMode();
    expect(logLines(message2Effects)).toEqual(['[IKE] respond IPsec phase to 192.0.2.132']);
    expect(logLines(effects)).toEqual(['IP Tunnel[1] Up']);
    expect(installed(effects)).toEqual([
      expect.objectContaining({
        tunnelId: 1,
        gatewayId: 1,
        peer: CLIENT,
        encryption: '3des-cbc',
        integrity: 'hmac-sha1-96',
        internalAddress: '10.1.1.110',
        lifeSeconds: 1200,
        udpEncapsulated: false,
        // Each direction's keys agree: the client's outbound is our inbound.
        inbound: espSas.outbound,
        outbound: espSas.inbound,
        initiatorIdentity: { kind: 'ipv4-address', address: '10.1.1.110' },
        responderIdentity: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' },
      }),
    ]);
    expect(responder.isakmpSas()).toEqual([expect.objectContaining({ number: 1, xauth: 'authenticated', xauthUser: 'user1', internalAddress: '10.1.1.110' })]);
  });

  it('works with a cleartext message 3 too (racoon\'s way): the Phase 2 IVs start from IV0', () => {
    const responder = newRemoteAccessResponder([seedTunnelGateway({ payloadType: 2 })]);
    const { flow } = connectSeedClient(responder, { message3: { encrypt: false }, xauth: RACOON_XAUTH });
    expect(logLines(flow.quickMode().effects)).toEqual(['IP Tunnel[1] Up']);
  });

  it('takes vpnc\'s XAUTH forms', () => {
    const responder = newRemoteAccessResponder();
    const { steps } = connectSeedClient(responder, { xauth: VPNC_XAUTH });
    expect(logLines(steps.pushEffects)).toEqual(['[IKE] mode-cfg: 10.1.1.110 assigned to user user1 (192.0.2.132)']);
  });

  it('a wrong password: STATUS=0, then the ISAKMP SA is deleted with a Delete to the client', () => {
    const responder = newRemoteAccessResponder();
    const { sa, effects } = establish(responder, { message3: { encrypt: true } });
    const flow = new ClientFlow(responder, sa, { credentials: { userName: 'user1', password: 'wrong' } });
    const { effects: setEffects } = flow.answerXauthRequest(effects);
    expect(logLines(setEffects)).toEqual(['[IKE] XAUTH user user1 refused: wrong password (192.0.2.132)']);
    const { effects: ackEffects, status } = flow.acknowledgeStatus(setEffects);
    expect(status).toBe('failed');
    expect(logLines(ackEffects)).toEqual(['[IKE] ISAKMP SA with 192.0.2.132 deleted (XAUTH failed)']);
    expect(parseInformational(flow.sa, onlySend(ackEffects).bytes)).toMatchObject({ ok: true, value: { items: [{ kind: 'delete-isakmp-sa' }] } });
    expect(responder.isakmpSas()).toEqual([]);
    expect(responder.tableSizes()).toMatchObject({ isakmpSas: 0, leases: 0, saNumbers: 0 });
  });

  it('a client that never answers XAUTH: the REQUEST is repeated, then the ISAKMP SA goes', () => {
    const responder = newRemoteAccessResponder([seedTunnelGateway()], { limits: { retransmitIntervalMs: 1_000, retransmissions: 2 } });
    const { effects } = establish(responder, { message3: { encrypt: true } });
    const request = onlySend(effects);
    expect(responder.nextDeadline()).toBe(T0 + 100 + 1_000);
    expect(onlySend(responder.tick(T0 + 1_100)).bytes).toEqual(request.bytes);
    expect(onlySend(responder.tick(T0 + 2_100)).bytes).toEqual(request.bytes);
    const gaveUp = responder.tick(T0 + 3_100);
    expect(logLines(gaveUp)).toEqual(['[IKE] XAUTH with 192.0.2.132 timed out waiting for the REPLY', '[IKE] ISAKMP SA with 192.0.2.132 deleted (XAUTH failed)']);
    expect(responder.isakmpSas()).toEqual([]);
  });

  it('refuses Quick Mode while XAUTH is not finished', () => {
    const responder = newRemoteAccessResponder();
    const { sa, effects } = establish(responder, { message3: { encrypt: true } });
    void effects;
    const flow = new ClientFlow(responder, sa);
    flow.modeCfg = { address: '10.1.1.110', dns: [], nbns: [] };
    const { effects: refused } = flow.quickMode1();
    expect(logLines(refused)).toEqual(['[IKE] IPsec phase with 192.0.2.132 refused: XAUTH is not finished']);
    expect(sends(refused)).toEqual([]);
  });

  it('drops a Quick Mode message that does not authenticate before any refusal: 100 of them while XAUTH runs write at most the per-peer quota of debug lines', () => {
    // Found by the exchange-state fuzzer (test/fuzz/exchange-states.test.ts): each one used to
    // write `IPsec phase ... refused: XAUTH is not finished` at info level, outside the per-peer
    // limit, for anyone who saw the cookies.
    const responder = newRemoteAccessResponder([seedTunnelGateway()], { syslogDebug: true });
    const { sa } = establish(responder, { message3: { encrypt: true } });
    const flow = new ClientFlow(responder, sa);
    const effects = Array.from({ length: 100 }, (_, index) => flow.send(unprotectedQuickMode1(sa, 0x72000000 + index))).flat();
    expect(logLines(effects).filter((line) => !line.startsWith('[IKE] IPsec phase message from 192.0.2.132 ignored: Quick Mode message 1: sent in clear'))).toEqual([]);
    expect(logLines(effects, 'debug')).toHaveLength(DEFAULT_RESPONDER_LIMITS.dropLinesPerPeer);
    expect(sends(effects)).toEqual([]);
    // The peer's own (authenticated) Quick Mode is still refused out loud.
    flow.modeCfg = { address: '10.1.1.110', dns: [], nbns: [] };
    expect(logLines(flow.quickMode1().effects)).toEqual(['[IKE] IPsec phase with 192.0.2.132 refused: XAUTH is not finished']);
  });

  it('a full IPsec SA table drops further Quick Mode datagrams with a rate-limited line', () => {
    const responder = newRemoteAccessResponder([seedTunnelGateway()], { limits: { maxIpsecSaPairs: 1 } });
    const { flow } = connectSeedClient(responder);
    flow.quickMode();
    const effects = Array.from({ length: 50 }, (_, index) => flow.send(unprotectedQuickMode1(flow.sa, 0x73000000 + index))).flat();
    expect(logLines(effects)).toEqual(Array.from({ length: DEFAULT_RESPONDER_LIMITS.dropLinesPerPeer }, () => '[IKE] IPsec phase with 192.0.2.132 refused: 1 IPsec SA pairs already'));
  });

  it('a client that proposed plain pre-shared key gets no XAUTH and no address, and may do Quick Mode at once', () => {
    const responder = newRemoteAccessResponder();
    const { sa, effects } = establish(responder, { client: { proposals: [{ ...SEED_PROPOSAL, authMethod: 'pre-shared-key' }] }, message3: { encrypt: true } });
    expect(sends(effects)).toEqual([]);
    const flow = new ClientFlow(responder, sa, { quickMode: { localId: { kind: 'ipv4-address', address: '192.168.100.30' } } });
    expect(logLines(flow.quickMode().effects)).toEqual(['IP Tunnel[1] Up']);
    expect(responder.isakmpSas()[0]).toMatchObject({ xauth: 'not-requested' });
    expect(responder.isakmpSas()[0]!.internalAddress).toBeUndefined();
  });

  it('with `syslog debug on` and `ipsec ike log 1 message-info payload-info`, Phase 2 messages are logged decrypted', () => {
    const responder = newRemoteAccessResponder([seedTunnelGateway({ log: { messageInfo: true, payloadInfo: true, keyInfo: false } })], { syslogDebug: true });
    const { steps } = connectSeedClient(responder);
    const debug = logLines(steps.setEffects, 'debug');
    expect(debug[0]).toMatch(/^\[IKE\] receive message from 192\.0\.2\.132:500 : TRANSACTION, .* \[HASH ATTRIBUTE\]$/);
    expect(debug).toContain('[IKE]  payload ATTRIBUTE : cfg type 2, 2 attributes');
    expect(debug.some((line) => /^\[IKE\] send message to 192\.0\.2\.132:500 : TRANSACTION, .* \[HASH ATTRIBUTE\]$/.test(line))).toBe(true);
  });

  it('a tunnel without `ipsec tunnel` SA policy makes no IPsec SA', () => {
    const responder = newRemoteAccessResponder([seedTunnelGateway({ saPolicy: undefined })]);
    const { flow } = connectSeedClient(responder);
    const { effects } = flow.quickMode1();
    expect(logLines(effects)).toEqual(['[IKE] IPsec phase with 192.0.2.132 refused: tunnel 1 has no `ipsec tunnel` SA policy']);
  });
});

describe("hypothesis H3: OpenSWAN's mode-cfg ACK with values (docs/matrix.md)", () => {
  const openswanModeCfg = OPENSWAN_2_6_16_XAUTH_MODE_CFG.tunnel({ identity: { kind: 'fqdn', name: 'myid' }, preSharedKey: Buffer.from('PSKEY1'), xauth: { userName: 'user1', password: 'password' } }).modeCfg!;
  const notifyTypes = (flow: ClientFlow, effects: readonly ResponderEffect[]) => {
    const parsed = parseInformational(flow.sa, onlySend(effects).bytes);
    return parsed.ok ? parsed.value.items.map((item) => (item.kind === 'notify' ? item.notifyType : item.kind)) : parsed.failure.text;
  };

  it('under the default method: the ACK and then Quick Mode are refused as malformed, with N(PAYLOAD-MALFORMED), and no tunnel', () => {
    const responder = newRemoteAccessResponder();
    const { flow, steps } = connectSeedClient(responder, { modeCfg: openswanModeCfg });
    const malformed = '[IKE] payload malformed (192.0.2.132): mode-cfg ACK attribute INTERNAL-IP4-ADDRESS carries a value';
    expect(logLines(steps.doneEffects)).toEqual([malformed]);
    expect(notifyTypes(flow, steps.doneEffects)).toEqual([NotifyType.PAYLOAD_MALFORMED]);
    const { effects } = flow.quickMode1();
    expect(logLines(effects)).toEqual([malformed]);
    expect(notifyTypes(flow, effects)).toEqual([NotifyType.PAYLOAD_MALFORMED]);
    expect(installed(effects)).toEqual([]);
    expect(responder.isakmpSas()).toEqual([expect.objectContaining({ xauth: 'authenticated', internalAddress: '10.1.1.110' })]);
  });

  it('under the default method with `send info` off: the same refusals, logged only', () => {
    const responder = newRemoteAccessResponder([seedTunnelGateway({ sendInfo: false })]);
    const { flow, steps } = connectSeedClient(responder, { modeCfg: openswanModeCfg });
    expect(sends(steps.doneEffects)).toEqual([]);
    const { effects } = flow.quickMode1();
    expect(sends(effects)).toEqual([]);
    expect(logLines(effects)).toEqual([expect.stringContaining('carries a value')]);
  });

  it('under `ipsec ike mode-cfg method 1 set openswan`: the ACK is taken and tunnel 1 comes up', () => {
    const responder = newRemoteAccessResponder([seedTunnelGateway({ modeCfgOpenswan: true })]);
    const { flow, steps } = connectSeedClient(responder, { modeCfg: openswanModeCfg });
    expect(steps.doneEffects.filter((effect) => effect.kind !== 'event')).toEqual([]);
    expect(logLines(flow.quickMode().effects)).toEqual(['IP Tunnel[1] Up']);
  });
});

describe('mode-cfg on the responder: where the address comes from, REQUESTs, the pool', () => {
  it('per-user xauth-address wins over the group pool, which wins over the gateway pool; DNS and WINS come along', () => {
    const users = seedXauthUsers(
      'auth user 2 user2 password2\nauth user attribute 2 xauth-address=192.168.100.30/24\nauth user group attribute 11 xauth=on xauth-address-pool=172.31.0.5-172.31.0.6/24 xauth-dns=10.1.1.53 xauth-wins=10.1.1.54\n',
    );
    const responder = newRemoteAccessResponder([seedTunnelGateway()], { policy: { xauthUsers: users } });
    const fixed = connectSeedClient(responder, { credentials: { userName: 'user2', password: 'password2' } });
    expect(fixed.flow.modeCfg).toMatchObject({ address: '192.168.100.30', netmask: '255.255.255.0', dns: ['10.1.1.53'], nbns: ['10.1.1.54'] });
    const pooled = connectSeedClient(responder, { now: T0 + 1_000, leg: { from: { address: '192.0.2.133', port: 500 }, natTraversal: false } });
    expect(pooled.flow.modeCfg).toMatchObject({ address: '172.31.0.5', netmask: '255.255.255.0', dns: ['10.1.1.53'] });
    const gatewayPool = newRemoteAccessResponder();
    expect(connectSeedClient(gatewayPool).flow.modeCfg).toMatchObject({ address: '10.1.1.110', netmask: '255.255.255.255', dns: [] });
  });

  it('the group pool: `xauth-address-pool` of group 11', () => {
    const users = seedXauthUsers('auth user group attribute 11 xauth=on xauth-address-pool=172.31.0.5-172.31.0.6/24\n');
    const responder = newRemoteAccessResponder([seedTunnelGateway()], { policy: { xauthUsers: users } });
    expect(connectSeedClient(responder).flow.modeCfg).toMatchObject({ address: '172.31.0.5', netmask: '255.255.255.0' });
  });

  it('a pull client\'s REQUEST is logged as unanswered; strongSwan pull = yes answers the SET with a REPLY', () => {
    const responder = newRemoteAccessResponder();
    const { sa, effects } = establish(responder, { message3: { encrypt: true } });
    const flow = new ClientFlow(responder, sa, { modeCfg: STRONGSWAN_PULL_MODE_CFG });
    const { effects: setEffects } = flow.answerXauthRequest(effects);
    const { effects: pushEffects } = flow.acknowledgeStatus(setEffects);
    const request = flow.sendModeCfgRequest(STRONGSWAN_PULL_MODE_CFG.pull!, 0x0e682c8f);
    expect(sends(request)).toEqual([]);
    expect(logLines(request)).toEqual(['[IKE] mode-cfg REQUEST from 192.0.2.132 not answered (the router only sends SET): INTERNAL-IP4-ADDRESS']);
    const { effects: replied } = flow.answerModeCfgSet(pushEffects);
    expect(logLines(replied)).toEqual(['[IKE] mode-cfg SET to 192.0.2.132 answered with a REPLY instead of an ACK: the client did not take the address']);
    expect(flow.modeCfg.address).toBeUndefined();
  });

  it('under `answerModeCfgRequests` (rtxlab option) the REQUEST gets the SA\'s address in a REPLY', () => {
    const responder = newRemoteAccessResponder([seedTunnelGateway()], { policy: { answerModeCfgRequests: true } });
    const { sa, effects } = establish(responder, { message3: { encrypt: true } });
    const flow = new ClientFlow(responder, sa, { modeCfg: vpncModeCfg('0.5.3', 'client') });
    flow.acknowledgeStatus(flow.answerXauthRequest(effects).effects);
    const replied = flow.sendModeCfgRequest(vpncModeCfg('0.5.3', 'client').pull!, 0x0d84290f);
    const reply = openSentTransaction(flow.sa, replied);
    expect(reply.attributes.attributes.map((attribute) => attribute.type)).toEqual([1, 2]);
  });

  it('an exhausted pool assigns nothing (logged) and the client goes on without an address', () => {
    const responder = newRemoteAccessResponder();
    const addresses = ['192.0.2.132', '192.0.2.133', '192.0.2.134', '192.0.2.135'].map((address, index) => {
      const leg = { from: { address, port: 500 }, natTraversal: false };
      const established = establish(responder, { message3: { encrypt: true }, now: T0 + index * 10_000, from: leg.from });
      const flow = new ClientFlow(responder, established.sa, { leg, now: T0 + index * 10_000 + 100 });
      const { effects: setEffects } = flow.answerXauthRequest(established.effects);
      const { effects: pushEffects } = flow.acknowledgeStatus(setEffects);
      if (index === 3) {
        expect(logLines(pushEffects)).toEqual(['[IKE] mode-cfg: no address for user user1 (192.0.2.135): address pool 1 exhausted']);
        expect(sends(pushEffects)).toEqual([]);
        return undefined;
      }
      flow.answerModeCfgSet(pushEffects);
      return flow.modeCfg.address;
    });
    expect(addresses).toEqual(['10.1.1.110', '10.1.1.111', '10.1.1.112', undefined]);
  });

  it('the address goes back to the pool when the ISAKMP SA and the IPsec SAs that used it are gone', () => {
    const responder = newRemoteAccessResponder();
    const { flow } = connectSeedClient(responder);
    flow.quickMode();
    // Held by ISAKMP SA 1 and by the inbound IPsec SA 2 made under it.
    expect(responder.addressLeases()).toEqual([{ address: '10.1.1.110', owner: '1|192.0.2.132|user1', holders: [1, 2] }]);
    flow.informational([{ kind: 'delete-isakmp-sa' }]);
    // The IPsec SAs outlive their ISAKMP SA (restrict-dangling-sa auto): the address stays theirs.
    expect(responder.addressLeases()).toEqual([expect.objectContaining({ address: '10.1.1.110', holders: [2] })]);
    const [pair] = responder.ipsecSaPairs();
    const expired = responder.tick(pair!.expiresAt);
    // No ISAKMP SA left to carry a Delete.
    expect(sends(expired)).toEqual([]);
    expect(logLines(expired)).toEqual(['[IKE] IPsec SA of tunnel 1 with 192.0.2.132 expired', 'IP Tunnel[1] Down']);
    expect(responder.addressLeases()).toEqual([]);
    expect(responder.tableSizes()).toMatchObject({ ipsecSaPairs: 0, leases: 0, saNumbers: 0 });
  });

  it('a peer\'s Delete of its ESP SA (the SPI it receives on) takes the pair and the tunnel down', () => {
    const responder = newRemoteAccessResponder();
    const { flow } = connectSeedClient(responder);
    const { espSas } = flow.quickMode();
    const deleted = flow.informational([{ kind: 'delete', protocolId: ProtocolId.IPSEC_ESP, spis: [espSas.inbound.spi] }]);
    expect(logLines(deleted)).toEqual(['[IKE] IPsec SA of tunnel 1 deleted by 192.0.2.132', 'IP Tunnel[1] Down']);
    expect(deleted.filter((effect) => effect.kind === 'ipsec-sa-removed')).toEqual([
      { kind: 'ipsec-sa-removed', tunnelId: 1, inboundSpi: espSas.outbound.spi, outboundSpi: espSas.inbound.spi, reason: 'deleted-by-peer', tunnelWentDown: true },
    ]);
    // The ISAKMP SA (and with it the address) stays.
    expect(responder.addressLeases()).toEqual([expect.objectContaining({ holders: [1] })]);
  });
});
