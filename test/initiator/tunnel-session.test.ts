import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { attributePayload, decodeHeader, deletePayload, emptyAttribute, ipv4Attribute, tvAttribute } from '../../src/ike/codec/index.js';
import { CfgType, ExchangeType, ModeCfgAttribute, ProtocolId } from '../../src/ike/constants.js';
import type { IvChains } from '../../src/ike/crypto/index.js';
import { STRONGSWAN_PULL_MODE_CFG, STRONGSWAN_PUSH_MODE_CFG, formatSessionTranscript } from '../../src/initiator/index.js';
import { runTunnelSession, tunnelBound } from '../../src/initiator/tunnel-session.js';
import type { TunnelOptions } from '../../src/initiator/tunnel-options.js';
import { seedClientOptions } from './support/fixtures.js';
import { answerAggressive1, answerQuickMode1, openFromInitiator, readAggressive3, sealResponderMessage, type TinyResponderSa } from './support/tiny-responder.js';

const A = ModeCfgAttribute;
const MARKER = Buffer.alloc(4);
const XAUTH_REQUEST_ID = 0x1001;
const XAUTH_STATUS_ID = 0x1002;
const MODE_CFG_SET_ID = 0x1003;

interface GatewayBehaviour {
  password?: string;
  pushAddress?: boolean;
}

/**
 * An RTX-shaped gateway on 127.0.0.1 from the tiny responder: message 2, then after message 3
 * an XAUTH REQUEST, a STATUS SET, a mode-cfg SET (push only: it never answers a REQUEST), and
 * Quick Mode message 2. It records what it received.
 */
async function startGateway(behaviour: GatewayBehaviour = {}) {
  const bind = (socket: Socket) => new Promise<number>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)));
  const ike = createSocket('udp4');
  const natT = createSocket('udp4');
  const [port, natTPort] = await Promise.all([bind(ike), bind(natT)]);
  const seen: { exchange: number; cfgType?: number; path: 'isakmp' | 'nat-t'; note?: string }[] = [];
  let sa: TinyResponderSa | undefined;
  const sentChains = new Map<number, IvChains>();
  let quickMode: ReturnType<typeof answerQuickMode1> | undefined;

  const reply = (path: 'isakmp' | 'nat-t', to: RemoteInfo, bytes: Buffer) =>
    path === 'nat-t' ? natT.send(Buffer.concat([MARKER, bytes]), to.port, to.address) : ike.send(bytes, to.port, to.address);
  const sendTransaction = (path: 'isakmp' | 'nat-t', to: RemoteInfo, messageId: number, cfgType: number, attributes: Parameters<typeof attributePayload>[1]) => {
    const sealed = sealResponderMessage(sa!, sa!.ivChains, ExchangeType.TRANSACTION, messageId, [attributePayload(cfgType, attributes)]);
    sentChains.set(messageId, sealed.ivChains);
    reply(path, to, sealed.bytes);
  };

  const handle = (bytes: Buffer, path: 'isakmp' | 'nat-t', from: RemoteInfo) => {
    const header = decodeHeader(bytes);
    if (!header.ok) return;
    const { exchangeType, messageId, responderCookie } = header.value;
    if (exchangeType === ExchangeType.AGGRESSIVE && responderCookie.equals(Buffer.alloc(8))) {
      const answer = answerAggressive1(bytes, {
        preSharedKey: Buffer.from('PSKEY1'),
        identity: { kind: 'ipv4-address', address: '127.0.0.1' },
        vendorIds: ['NAT_T_RFC3947'],
        natD: { initiatorSeenAt: { address: from.address, port: from.port }, responderAt: { address: '127.0.0.1', port } },
      });
      sa = answer.sa;
      seen.push({ exchange: exchangeType, path });
      return reply(path, from, answer.message2);
    }
    if (exchangeType === ExchangeType.AGGRESSIVE) {
      const read = readAggressive3(sa!, bytes);
      sa = { ...sa!, ivChains: read.ivChains };
      seen.push({ exchange: exchangeType, path, note: read.hashIVerifies ? 'HASH_I ok' : 'HASH_I bad' });
      return sendTransaction(path, from, XAUTH_REQUEST_ID, CfgType.REQUEST, [emptyAttribute(A.XAUTH_USER_NAME), emptyAttribute(A.XAUTH_USER_PASSWORD)]);
    }
    if (exchangeType === ExchangeType.TRANSACTION) {
      const opened = openFromInitiator(sa!, sentChains.get(messageId) ?? sa!.ivChains, bytes);
      const attributes = opened.payloads[1]!;
      if (attributes.type !== 'attributes') return;
      seen.push({ exchange: exchangeType, cfgType: attributes.cfgType, path });
      if (messageId === XAUTH_REQUEST_ID) {
        const password = attributes.attributes.find((attribute) => attribute.type === A.XAUTH_USER_PASSWORD);
        const ok = password?.format === 'tlv' && password.value.toString() === (behaviour.password ?? 'password');
        return sendTransaction(path, from, XAUTH_STATUS_ID, CfgType.SET, [tvAttribute(A.XAUTH_STATUS, ok ? 1 : 0)]);
      }
      if (messageId === XAUTH_STATUS_ID && (behaviour.pushAddress ?? true)) {
        return sendTransaction(path, from, MODE_CFG_SET_ID, CfgType.SET, [ipv4Attribute(A.INTERNAL_IP4_ADDRESS, '10.1.1.110'), ipv4Attribute(A.INTERNAL_IP4_NETMASK, '255.255.255.0')]);
      }
      return;
    }
    if (exchangeType === ExchangeType.QUICK_MODE) {
      if (!quickMode) {
        quickMode = answerQuickMode1(sa!, sa!.ivChains, bytes);
        seen.push({ exchange: exchangeType, path, note: quickMode.hash1Verifies ? 'HASH(1) ok' : 'HASH(1) bad' });
        return reply(path, from, quickMode.message2);
      }
      seen.push({ exchange: exchangeType, path, note: quickMode.readMessage3(bytes).hash3Verifies ? 'HASH(3) ok' : 'HASH(3) bad' });
      return;
    }
    if (exchangeType === ExchangeType.INFORMATIONAL) {
      const opened = openFromInitiator(sa!, sa!.ivChains, bytes);
      const second = opened.payloads[1];
      seen.push({ exchange: exchangeType, path, note: second?.type === 'delete' ? `Delete ${second.protocolId}` : second?.type });
    }
  };
  ike.on('message', (bytes, from) => handle(bytes, 'isakmp', from));
  natT.on('message', (datagram, from) => {
    if (datagram.subarray(0, 4).equals(MARKER)) handle(datagram.subarray(4), 'nat-t', from);
  });
  const close = () => Promise.all([ike, natT].map((socket) => new Promise<void>((done) => socket.close(() => done()))));
  return {
    port,
    natTPort,
    seen,
    quickMode: () => quickMode!,
    /** A Delete of the ISAKMP SA from the gateway, on the NAT-T path to where Quick Mode came from. */
    deleteIsakmpSa: (to: { address: string; port: number }) => {
      const spi = Buffer.concat([sa!.initiatorCookie, sa!.responderCookie]);
      const sealed = sealResponderMessage(sa!, sa!.ivChains, ExchangeType.INFORMATIONAL, 0x2001, [deletePayload({ protocolId: ProtocolId.ISAKMP, spis: [spi] })]);
      natT.send(Buffer.concat([MARKER, sealed.bytes]), to.port, to.address);
    },
    close,
  };
}

const gateways: { close: () => Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});

async function gateway(behaviour?: GatewayBehaviour) {
  const started = await startGateway(behaviour);
  gateways.push(started);
  return started;
}

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
}

const fast = { retransmitTimeoutsMs: [100, 100, 100], message3QuietMs: 200, peerWaitMs: 300 };

function tunnel(overrides: Partial<TunnelOptions> = {}): TunnelOptions {
  return {
    phase1: seedClientOptions({ vendorIds: ['XAUTH', 'DPD', 'NAT_T_RFC3947'], natTraversal: 'force', message3: { encrypt: false } }),
    xauth: { credentials: { userName: 'user1', password: 'password' } },
    modeCfg: STRONGSWAN_PUSH_MODE_CFG,
    quickMode: {
      proposals: [{ encryption: '3des-cbc', integrity: 'hmac-sha1-96' }],
      lifeSeconds: 28800,
      localId: { kind: 'mode-cfg-address' },
      remoteId: { kind: 'ipv4-subnet', address: '10.1.1.0', netmask: '255.255.255.0' },
    },
    ...overrides,
  };
}

describe('runTunnelSession over 127.0.0.1', () => {
  it('brings the tunnel up on the NAT-T path (XAUTH, pushed address, UDP-encapsulated ESP SAs), then deletes both SAs', async () => {
    const gw = await gateway();
    const result = await runTunnelSession({ gateway: { address: '127.0.0.1', port: gw.port, natTPort: gw.natTPort }, tunnel: tunnel(), timing: fast });
    expect(result.outcome).toBe('established');
    if (result.outcome !== 'established') return;
    expect(result.modeCfg).toMatchObject({ address: '10.1.1.110', netmask: '255.255.255.0' });
    expect(result.espSas).toMatchObject({ encapsulationMode: 3, udpEncapsulated: true, outbound: { spi: gw.quickMode().responderSpi } });
    await until(() => gw.seen.filter((message) => message.exchange === ExchangeType.INFORMATIONAL).length === 2);
    expect(gw.seen.map((message) => [message.path, message.exchange, message.cfgType ?? message.note])).toEqual([
      ['isakmp', ExchangeType.AGGRESSIVE, undefined],
      ['nat-t', ExchangeType.AGGRESSIVE, 'HASH_I ok'],
      ['nat-t', ExchangeType.TRANSACTION, CfgType.REPLY],
      ['nat-t', ExchangeType.TRANSACTION, CfgType.ACK],
      ['nat-t', ExchangeType.TRANSACTION, CfgType.ACK],
      ['nat-t', ExchangeType.QUICK_MODE, 'HASH(1) ok'],
      ['nat-t', ExchangeType.QUICK_MODE, 'HASH(3) ok'],
      ['nat-t', ExchangeType.INFORMATIONAL, `Delete ${ProtocolId.IPSEC_ESP}`],
      ['nat-t', ExchangeType.INFORMATIONAL, `Delete ${ProtocolId.ISAKMP}`],
    ]);
    const lines = formatSessionTranscript(result.transcript);
    expect(lines.filter((line) => line.includes('step: '))).toHaveLength(6);
    expect(lines.find((line) => line.includes('established: '))).toMatch(/mode-cfg 10\.1\.1\.110\/255\.255\.255\.0; ESP 3des-cbc\/hmac-sha1-96 UDP tunnel/);
  });

  it('reports xauth-failed for a wrong password', async () => {
    const gw = await gateway({ password: 'other' });
    const result = await runTunnelSession({ gateway: { address: '127.0.0.1', port: gw.port, natTPort: gw.natTPort }, tunnel: tunnel(), timing: fast });
    expect(result.outcome === 'failed' && result.failure).toMatchObject({ step: 'xauth', kind: 'xauth-failed' });
  });

  it('gives up on an unanswered pull REQUEST within its bounds, as strongSwan pull = yes would against an RTX', async () => {
    const gw = await gateway({ pushAddress: false });
    const started = performance.now();
    const result = await runTunnelSession({ gateway: { address: '127.0.0.1', port: gw.port, natTPort: gw.natTPort }, tunnel: tunnel({ modeCfg: STRONGSWAN_PULL_MODE_CFG }), timing: fast });
    expect(result.outcome === 'failed' && result.failure).toMatchObject({ step: 'mode-cfg', kind: 'mode-cfg-request-unanswered', sends: 3 });
    expect(performance.now() - started).toBeLessThan(tunnelBound({ ...fast }, 3));
    expect(gw.seen.filter((message) => message.cfgType === CfgType.REQUEST)).toHaveLength(3);
  });

  it('keeps the tunnel up when asked, and notices the gateway deleting it', async () => {
    const gw = await gateway();
    const result = await runTunnelSession({
      gateway: { address: '127.0.0.1', port: gw.port, natTPort: gw.natTPort },
      tunnel: tunnel(),
      timing: fast,
      whenEstablished: 'keep',
    });
    if (result.outcome !== 'established' || !result.tunnel) throw new Error('not established');
    gw.deleteIsakmpSa(result.paths.natT!.local);
    expect(await result.tunnel.ended).toBe('deleted-by-peer');
    await result.tunnel.close();
    expect(gw.seen.some((message) => message.exchange === ExchangeType.INFORMATIONAL)).toBe(false);
  });

  it('closes a kept tunnel with Deletes on request', async () => {
    const gw = await gateway();
    const result = await runTunnelSession({ gateway: { address: '127.0.0.1', port: gw.port, natTPort: gw.natTPort }, tunnel: tunnel(), timing: fast, whenEstablished: 'keep' });
    if (result.outcome !== 'established' || !result.tunnel) throw new Error('not established');
    await result.tunnel.close();
    expect(await result.tunnel.ended).toBe('closed');
    await until(() => gw.seen.filter((message) => message.exchange === ExchangeType.INFORMATIONAL).length === 2);
    expect(gw.seen.filter((message) => message.exchange === ExchangeType.INFORMATIONAL)).toHaveLength(2);
  });
});
