/**
 * What happens to SAs and tunnels over time and with several clients: lifetimes, expiry, Delete
 * both ways, rekeying, one peer per tunnel, `tunnel template`, and the state `show ipsec sa` and
 * `show status tunnel` read.
 */
import { describe, expect, it } from 'vitest';
import { ProtocolId } from '../../src/ike/constants.js';
import { SEED_PROPOSAL, parseInformational } from '../../src/initiator/index.js';
import { REPLACED_IPSEC_SA_GRACE_MS } from '../../src/ike-responder/responder.js';
import type { ResponderEffect } from '../../src/ike-responder/port.js';
import { ClientFlow, T0, connectSeedClient, establish, logLines, newRemoteAccessResponder, onlySend, seedTunnelGateway, seedXauthUsers, sends } from './support.js';

const leg = (address: string) => ({ from: { address, port: 500 }, natTraversal: false });
const removed = (effects: readonly ResponderEffect[]) => effects.flatMap((effect) => (effect.kind === 'ipsec-sa-removed' ? [effect.reason] : []));

describe('IPsec SA lifetimes', () => {
  it('at the end of its life the pair goes: Delete(ESP, our SPI) to the client, `IP Tunnel[1] Down`', () => {
    const responder = newRemoteAccessResponder();
    const { flow } = connectSeedClient(responder);
    const { espSas } = flow.quickMode({ lifeSeconds: 300 });
    const [pair] = responder.ipsecSaPairs();
    expect(pair!.expiresAt - pair!.establishedAt).toBe(300_000);
    expect(responder.nextDeadline()).toBe(pair!.expiresAt);
    const effects = responder.tick(pair!.expiresAt);
    expect(logLines(effects)).toEqual(['[IKE] IPsec SA of tunnel 1 with 192.0.2.132 expired', 'IP Tunnel[1] Down']);
    expect(removed(effects)).toEqual(['expired']);
    const deletion = parseInformational(flow.sa, onlySend(effects).bytes);
    expect(deletion).toMatchObject({ ok: true, value: { items: [{ kind: 'delete', protocolId: ProtocolId.IPSEC_ESP, spis: [espSas.outbound.spi] }] } });
    // The ISAKMP SA is still there.
    expect(responder.isakmpSas()).toHaveLength(1);
  });

  it('stretches the ISAKMP SA to outlive the IPsec SAs made under it (§15.48.1)', () => {
    const responder = newRemoteAccessResponder();
    const { flow } = connectSeedClient(responder, { client: { proposals: [{ ...SEED_PROPOSAL, lifeSeconds: 600 }] } });
    expect(responder.isakmpSas()[0]!.expiresAt).toBe(T0 + 100 + 600_000);
    flow.quickMode({ lifeSeconds: 3600 });
    const [pair] = responder.ipsecSaPairs();
    expect(responder.isakmpSas()[0]!.expiresAt).toBe(pair!.expiresAt);
  });

  it('a rekey by the client (a new Quick Mode) cuts the old pair to 30 s; the tunnel stays up throughout', () => {
    const responder = newRemoteAccessResponder();
    const { flow } = connectSeedClient(responder);
    flow.quickMode();
    const [old] = responder.ipsecSaPairs();
    const rekey = flow.quickMode({}, 0x7e4e0001);
    expect(logLines(rekey.effects)).toEqual([]);
    const pairs = responder.ipsecSaPairs();
    expect(pairs).toHaveLength(2);
    expect(pairs[0]!.expiresAt).toBe(flow.now + REPLACED_IPSEC_SA_GRACE_MS);
    expect(pairs[0]!.inbound.spi).toEqual(old!.inbound.spi);
    const cut = responder.tick(pairs[0]!.expiresAt);
    expect(logLines(cut)).toEqual(['[IKE] IPsec SA of tunnel 1 with 192.0.2.132 expired']);
    expect(responder.ipsecSaPairs()).toHaveLength(1);
  });
});

describe('one peer per tunnel', () => {
  it('on the plain seed config a second client takes tunnel 1 over: the first one\'s SAs are deleted (ASSUMED: last one wins)', () => {
    const responder = newRemoteAccessResponder();
    const first = connectSeedClient(responder, { leg: leg('192.0.2.132') });
    first.flow.quickMode();
    const second = connectSeedClient(responder, { leg: leg('192.0.2.133'), now: T0 + 60_000 });
    // The first still holds .110 while its ISAKMP SA lives: the second gets .111.
    expect(second.flow.modeCfg.address).toBe('10.1.1.111');
    const { effects } = second.flow.quickMode();
    // The tunnel is reconnected to the new peer: down for the old one, up for the new.
    expect(logLines(effects)).toEqual([
      '[IKE] tunnel 1: 192.0.2.133 replaces 192.0.2.132 (one peer per tunnel)',
      'IP Tunnel[1] Down',
      '[IKE] ISAKMP SA with 192.0.2.132 deleted (tunnel 1 taken over by 192.0.2.133)',
      'IP Tunnel[1] Up',
    ]);
    expect(removed(effects)).toEqual(['replaced']);
    // To the first client: Delete of its ESP SA, then Delete of its ISAKMP SA; nothing else.
    const toFirst = sends(effects).filter((effect) => effect.to.address === '192.0.2.132');
    expect(toFirst.map((effect) => parseInformational(first.flow.sa, effect.bytes))).toMatchObject([
      { ok: true, value: { items: [{ kind: 'delete', protocolId: ProtocolId.IPSEC_ESP }] } },
      { ok: true, value: { items: [{ kind: 'delete-isakmp-sa' }] } },
    ]);
    expect(responder.isakmpSas().map((sa) => sa.peer.address)).toEqual(['192.0.2.133']);
    expect(responder.ipsecSaPairs().map((pair) => [pair.tunnelId, pair.peer.address, pair.internalAddress])).toEqual([[1, '192.0.2.133', '10.1.1.111']]);
    expect(responder.addressLeases().map((lease) => lease.address)).toEqual(['10.1.1.111']);
  });

  it('`tunnel template 2-3`: three clients (myid, myid2, myid3) on tunnels 1-3 with .110, .111, .112', () => {
    const gateways = [1, 2, 3].map((id) =>
      seedTunnelGateway({ gatewayId: id, tunnelId: id, remoteName: id === 1 ? 'myid' : `myid${id}`, saPolicy: { policyId: id, protocol: 'esp', encryption: '3des-cbc', authentication: 'sha-hmac' } }),
    );
    const users = seedXauthUsers('auth user 2 user2 password2\nauth user 3 user3 password3\n');
    const responder = newRemoteAccessResponder(gateways, { policy: { xauthUsers: users } });
    const plan = [
      ['192.0.2.132', 'myid', 'user1', 'password'],
      ['192.0.2.133', 'myid2', 'user2', 'password2'],
      ['192.0.2.134', 'myid3', 'user3', 'password3'],
    ] as const;
    const tunnelLogs = plan.map(([address, name, userName, password], index) => {
      const { flow } = connectSeedClient(responder, {
        leg: leg(address),
        now: T0 + index * 10_000,
        client: { identity: { kind: 'fqdn', name } },
        credentials: { userName, password },
      });
      return logLines(flow.quickMode().effects);
    });
    expect(tunnelLogs).toEqual([['IP Tunnel[1] Up'], ['IP Tunnel[2] Up'], ['IP Tunnel[3] Up']]);
    expect(responder.ipsecSaPairs().map((pair) => [pair.tunnelId, pair.internalAddress, pair.xauthUser])).toEqual([
      [1, '10.1.1.110', 'user1'],
      [2, '10.1.1.111', 'user2'],
      [3, '10.1.1.112', 'user3'],
    ]);
  });

  it('two clients behind one NAT (one address, two ports) on tunnels 1 and 2: a Delete naming the other\'s SPIs leaves its SAs alone', () => {
    // Found by the exchange-state fuzzer: the Delete's SPIs used to be matched by address only.
    const gateways = [1, 2].map((id) => seedTunnelGateway({ gatewayId: id, tunnelId: id, remoteName: id === 1 ? 'myid' : `myid${id}` }));
    const responder = newRemoteAccessResponder(gateways, { policy: { xauthUsers: seedXauthUsers('auth user 2 user2 password2\n') } });
    const [first, second] = [500, 1500].map((port, index) => {
      const { flow } = connectSeedClient(responder, {
        leg: { from: { address: '192.0.2.132', port }, natTraversal: false },
        now: T0 + index * 10_000,
        client: { identity: { kind: 'fqdn', name: index === 0 ? 'myid' : 'myid2' } },
        credentials: index === 0 ? { userName: 'user1', password: 'password' } : { userName: 'user2', password: 'password2' },
        seed: `behind-nat-${index}`,
      });
      return { flow, espSas: flow.quickMode({}, 0x5e000000 + index).espSas };
    });
    const foreign = first!.flow.informational([{ kind: 'delete', protocolId: ProtocolId.IPSEC_ESP, spis: [second!.espSas.inbound.spi, second!.espSas.outbound.spi] }]);
    expect(removed(foreign)).toEqual([]);
    expect(responder.ipsecSaPairs().map((pair) => pair.tunnelId)).toEqual([1, 2]);
    // Its own Delete still works.
    const own = second!.flow.informational([{ kind: 'delete', protocolId: ProtocolId.IPSEC_ESP, spis: [second!.espSas.inbound.spi] }]);
    expect(removed(own)).toEqual(['deleted-by-peer']);
    expect(responder.ipsecSaPairs().map((pair) => pair.tunnelId)).toEqual([1]);
  });

  it('nameless `any` gateways (§15.40\'s form): each new peer takes the lowest free tunnel; with none free, the first', () => {
    const gateways = [1, 2].map((id) =>
      seedTunnelGateway({ gatewayId: id, tunnelId: id, remoteName: undefined, saPolicy: { policyId: id, protocol: 'esp', encryption: '3des-cbc', authentication: 'sha-hmac' } }),
    );
    const responder = newRemoteAccessResponder(gateways);
    const chosen = ['192.0.2.132', '192.0.2.133', '192.0.2.134'].map((address, index) => {
      establish(responder, { from: { address, port: 500 }, message3: { encrypt: true }, now: T0 + index * 1_000, client: { identity: { kind: 'fqdn', name: `pc-${index}` } } });
      return responder.isakmpSas().find((sa) => sa.peer.address === address)?.gatewayId;
    });
    expect(chosen).toEqual([1, 2, 1]);
  });
});

describe('INITIAL-CONTACT and re-authentication', () => {
  it('INITIAL-CONTACT from a rebooted client removes its old ISAKMP and IPsec SAs', () => {
    const responder = newRemoteAccessResponder();
    connectSeedClient(responder).flow.quickMode();
    const again = establish(responder, { message3: { encrypt: true, initialContact: true }, now: T0 + 60_000 });
    expect(logLines(again.effects)).toEqual([
      '[IKE] initial contact from 192.0.2.132',
      '[IKE] old ISAKMP SA with 192.0.2.132 removed (initial contact)',
      'IP Tunnel[1] Down',
    ]);
    expect(removed(again.effects)).toEqual(['initial-contact']);
    expect(responder.ipsecSaPairs()).toEqual([]);
  });

  it('the same client and user re-authenticating with a new ISAKMP SA keep their address', () => {
    const responder = newRemoteAccessResponder();
    const first = connectSeedClient(responder);
    first.flow.quickMode();
    const second = connectSeedClient(responder, { now: T0 + 60_000 });
    expect(second.flow.modeCfg.address).toBe('10.1.1.110');
    expect(responder.addressLeases()).toEqual([{ address: '10.1.1.110', owner: '1|192.0.2.132|user1', holders: [1, 2, 4] }]);
    void ClientFlow;
  });
});

describe('the state `show ipsec sa` and `show status tunnel` read', () => {
  it('totals, one row per SA with numbers, directions, remaining life, SPIs, algorithms; tunnels up and down', () => {
    const responder = newRemoteAccessResponder([seedTunnelGateway(), seedTunnelGateway({ gatewayId: 2, tunnelId: 2, remoteName: 'other' })]);
    const { flow } = connectSeedClient(responder);
    const { espSas } = flow.quickMode({ lifeSeconds: 1200 });
    const now = flow.now + 61_000;
    const state = responder.ipsecState(now);
    expect(state.totals).toEqual({ isakmp: 1, send: 1, recv: 1 });
    expect(state.isakmpSas).toEqual([
      expect.objectContaining({
        number: 1,
        gatewayId: 1,
        localAddress: '172.16.0.254',
        cipher: '3des-cbc',
        hash: 'sha1',
        group: 2,
        xauth: 'authenticated',
        xauthUser: 'user1',
        internalAddress: '10.1.1.110',
        durationSeconds: Math.floor((now - (T0 + 100)) / 1000),
      }),
    ]);
    expect(state.isakmpSas[0]!.spi).toHaveLength(16);
    expect(state.ipsecSas.map((row) => [row.number, row.direction, row.isakmpSaNumber, row.tunnelId, row.spi.toString('hex'), row.lifeRemainingSeconds, row.durationSeconds])).toEqual([
      [2, 'recv', 1, 1, espSas.outbound.spi.toString('hex'), 1139, 61],
      [3, 'send', 1, 1, espSas.inbound.spi.toString('hex'), 1139, 61],
    ]);
    expect(state.ipsecSas[0]).toMatchObject({ protocol: 'esp', mode: 'tunnel', encryption: '3des-cbc', integrity: 'hmac-sha1-96', xauthUser: 'user1', internalAddress: '10.1.1.110' });
    expect(state.tunnels).toEqual([
      { tunnelId: 1, gatewayId: 1, up: true, upSince: flow.now, durationSeconds: 61, peerAddress: '192.0.2.132' },
      { tunnelId: 2, gatewayId: 2, up: false },
    ]);
  });
});
