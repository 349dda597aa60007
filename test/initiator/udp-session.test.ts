import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeHeader } from '../../src/ike/codec/index.js';
import { ExchangeType } from '../../src/ike/constants.js';
import { formatSessionTranscript, runPhase1Session } from '../../src/initiator/udp-session.js';
import { fixedRandomness, seedClientOptions } from './support/fixtures.js';
import { answerAggressive1, readAggressive3, type TinyResponderSa } from './support/tiny-responder.js';

interface Arrival {
  path: 'isakmp' | 'nat-t';
  bytes: Buffer; // the ISAKMP message (marker removed)
  marker: boolean;
  from: RemoteInfo;
}

/** A minimal gateway on 127.0.0.1: answers message 1 with a valid message 2, records the rest. */
async function startPeer(behaviour: { ignoreFirst?: number; silent?: boolean; natTVendorId?: boolean } = {}) {
  const bind = (socket: Socket) => new Promise<number>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)));
  const ike = createSocket('udp4');
  const natT = createSocket('udp4');
  const [port, natTPort] = await Promise.all([bind(ike), bind(natT)]);
  const arrivals: Arrival[] = [];
  let toIgnore = behaviour.ignoreFirst ?? 0;
  let responder: TinyResponderSa | undefined;
  ike.on('message', (bytes, from) => {
    arrivals.push({ path: 'isakmp', bytes, marker: false, from });
    const header = decodeHeader(bytes);
    if (behaviour.silent || !header.ok || header.value.exchangeType !== ExchangeType.AGGRESSIVE || !header.value.responderCookie.equals(Buffer.alloc(8))) return;
    if (toIgnore-- > 0) return;
    const answer = answerAggressive1(bytes, {
      preSharedKey: Buffer.from('PSKEY1'),
      identity: { kind: 'ipv4-address', address: '127.0.0.1' },
      ...(behaviour.natTVendorId
        ? { vendorIds: ['NAT_T_RFC3947' as const], natD: { initiatorSeenAt: { address: from.address, port: from.port }, responderAt: { address: '127.0.0.1', port } } }
        : {}),
    });
    responder = answer.sa;
    ike.send(answer.message2, from.port, from.address);
  });
  natT.on('message', (datagram, from) => {
    const marker = datagram.subarray(0, 4).equals(Buffer.alloc(4));
    arrivals.push({ path: 'nat-t', bytes: marker ? datagram.subarray(4) : datagram, marker, from });
  });
  const close = () => Promise.all([ike, natT].map((socket) => new Promise<void>((done) => socket.close(() => done()))));
  return { port, natTPort, arrivals, responder: () => responder!, close };
}

const peers: { close: () => Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});

async function peer(behaviour?: Parameters<typeof startPeer>[0]) {
  const started = await startPeer(behaviour);
  peers.push(started);
  return started;
}

/** Waits (at most a second) for a datagram already sent to be delivered to the peer's socket. */
async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
}

const fast = { retransmitTimeoutsMs: [150, 150, 150], message3QuietMs: 150 };

describe('runPhase1Session over 127.0.0.1', () => {
  it('establishes Phase 1 with a cleartext message 3 the gateway can verify, and reports each message', async () => {
    const gateway = await peer();
    const result = await runPhase1Session({ gateway: { address: '127.0.0.1', port: gateway.port }, initiator: seedClientOptions(), randomness: fixedRandomness, timing: fast });
    expect(result.outcome).toBe('established');
    const [message1, message3] = gateway.arrivals;
    expect(gateway.arrivals).toHaveLength(2);
    expect(message3!.from.port).toBe(message1!.from.port);
    expect(readAggressive3(gateway.responder(), message3!.bytes).hashIVerifies).toBe(true);
    if (result.outcome !== 'established') return;
    expect(result.confirmation).toBe('quiet-period');
    expect(result.paths.isakmp.local).toEqual({ address: '127.0.0.1', port: message1!.from.port });
    const lines = formatSessionTranscript(result.transcript);
    expect(lines.find((line) => line.includes('message 1'))).toMatch(/-> isakmp AGGRESSIVE 0x00000000 \[SA\(3DES-CBC SHA MODP-1024 XAUTHInitPreShared 28800s\) KE\(128\) NONCE\(32\) ID\(myid\) VID\(XAUTH\) VID\(DPD\)\]/);
    expect(lines.find((line) => line.includes('HASH_R verified'))).toMatch(/<- isakmp AGGRESSIVE/);
    expect(lines.find((line) => line.includes('message 3'))).toMatch(/-> isakmp AGGRESSIVE 0x00000000 \[HASH\]/);
  });

  it('retransmits message 1 until the gateway answers', async () => {
    const gateway = await peer({ ignoreFirst: 1 });
    const result = await runPhase1Session({ gateway: { address: '127.0.0.1', port: gateway.port }, initiator: seedClientOptions(), randomness: fixedRandomness, timing: fast });
    expect(result.outcome).toBe('established');
    const [first, second] = gateway.arrivals;
    expect(second!.bytes).toEqual(first!.bytes);
  });

  it('gives up after its last retransmission when nobody answers', async () => {
    const gateway = await peer({ silent: true });
    const started = performance.now();
    const result = await runPhase1Session({ gateway: { address: '127.0.0.1', port: gateway.port }, initiator: seedClientOptions(), timing: { retransmitTimeoutsMs: [50, 50, 50] } });
    expect(result.outcome === 'failed' && result.failure).toMatchObject({ kind: 'no-response', sends: 3 });
    expect(gateway.arrivals).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('floats message 3 to the NAT-T port behind the non-ESP marker when NAT-T is forced', async () => {
    const gateway = await peer({ natTVendorId: true });
    const result = await runPhase1Session({
      gateway: { address: '127.0.0.1', port: gateway.port, natTPort: gateway.natTPort },
      initiator: seedClientOptions({ vendorIds: ['XAUTH', 'NAT_T_RFC3947'], natTraversal: 'force', message3: { encrypt: true } }),
      timing: fast,
    });
    expect(result.outcome).toBe('established');
    const floated = gateway.arrivals.filter((arrival) => arrival.path === 'nat-t');
    expect(floated).toHaveLength(1);
    expect(floated[0]!.marker).toBe(true);
    const read = readAggressive3(gateway.responder(), floated[0]!.bytes);
    expect(read.hashIVerifies).toBe(true);
    expect(read.payloads.map((payload) => payload.type)).toEqual(['hash', 'nat-d', 'nat-d']);
    expect(result.outcome === 'established' && result.sa.natTraversal).toMatchObject({ method: 'rfc3947', floated: true });
  });

  it('sends a Delete when asked to leave nothing behind', async () => {
    const gateway = await peer();
    const result = await runPhase1Session({ gateway: { address: '127.0.0.1', port: gateway.port }, initiator: seedClientOptions(), timing: fast, deleteWhenEstablished: true });
    expect(result.outcome).toBe('established');
    await until(() => gateway.arrivals.length === 3);
    const last = decodeHeader(gateway.arrivals.at(-1)!.bytes);
    expect(last.ok && last.value.exchangeType).toBe(ExchangeType.INFORMATIONAL);
  });

  it('says which socket it could not open', async () => {
    const gateway = await peer();
    const result = await runPhase1Session({ gateway: { address: '127.0.0.1', port: gateway.port }, local: { address: '127.0.0.1', port: gateway.port }, initiator: seedClientOptions(), timing: fast });
    expect(result.outcome === 'failed' && result.failure).toMatchObject({ kind: 'socket-error', text: expect.stringMatching(/cannot open UDP 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+: .*EADDRINUSE/) });
  });
});
