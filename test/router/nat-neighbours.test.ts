/**
 * Two remote-access clients behind one NAT (one address, two ports) on tunnels 1 and 2 of a
 * started router on loopback, both connected with the bundled client and pinging. One of them
 * sends an authenticated Delete naming the other's SPIs (which every ESP header shows): the
 * other's tunnel keeps carrying its pings. Found by the exchange-state fuzzer
 * (test/fuzz/exchange-states.test.ts); before the fix the Delete took the other's SAs down.
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { ProtocolId } from '../../src/ike/constants.js';
import { openEspChannel } from '../../src/initiator/esp-channel.js';
import { buildInformational, type TunnelOptions } from '../../src/initiator/index.js';
import { pingThroughTunnel } from '../../src/initiator/ping.js';
import { runTunnelSession, type TunnelSessionResult } from '../../src/initiator/tunnel-session.js';
import { RtxRouter } from '../../src/router/rtx-router.js';
import { PUSHED_ADDRESS_CLIENT } from '../initiator/support/esp-gateway.js';

/** The seed config plus a tunnel 2 for ID `myid2` (its own key) and user2. */
const TWO_TUNNELS = `${DEFAULT_CONFIG_TEXT}
tunnel select 2
ipsec tunnel 2
ipsec sa policy 2 2 esp 3des-cbc sha-hmac
ipsec ike encryption 2 3des-cbc
ipsec ike group 2 modp1024
ipsec ike hash 2 sha
ipsec ike local address 2 172.16.0.254
ipsec ike nat-traversal 2 on
ipsec ike payload type 2 3
ipsec ike pre-shared-key 2 text PSKEY2
ipsec ike remote address 2 any
ipsec ike remote name 2 myid2
ipsec ike xauth request 2 on 11
ipsec ike mode-cfg address 2 1
tunnel enable 2
auth user 2 user2 password2
`;

const SECOND_CLIENT: TunnelOptions = {
  ...PUSHED_ADDRESS_CLIENT,
  phase1: { ...PUSHED_ADDRESS_CLIENT.phase1, identity: { kind: 'fqdn', name: 'myid2' }, preSharedKey: Buffer.from('PSKEY2') },
  xauth: { credentials: { userName: 'user2', password: 'password2' } },
};

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Established = Extract<TunnelSessionResult, { outcome: 'established' }>;

/** One ESP channel per client for the whole test: a second one would start its sequence numbers again (replays to the router). */
function channelOf(result: Established) {
  const opened = openEspChannel(result);
  if (!opened.ok) throw new Error('no ESP channel');
  return opened.channel;
}

async function pingsAnswered(channel: ReturnType<typeof channelOf>): Promise<number> {
  const report = await pingThroughTunnel(channel, '10.1.1.1', { count: 3, intervalMs: 20, timeoutMs: 1_000 });
  return report.results.filter((echo) => echo.kind === 'reply').length;
}

describe('clients behind one NAT', () => {
  it("one client's Delete naming the other's SPIs leaves the other's tunnel up and carrying pings", async () => {
    const router = await RtxRouter.create({ config: { text: TWO_TUNNELS }, bind: '127.0.0.1', ikePort: 0, nattPort: 0, responderLimits: { retransmitIntervalMs: 200 } });
    const listening = await router.start();
    cleanups.push(() => router.stop());
    const gateway = { address: '127.0.0.1', port: listening.ike.port, natTPort: listening.natt.port };
    const connect = async (tunnel: TunnelOptions) => {
      const result = await runTunnelSession({
        gateway,
        local: { address: '127.0.0.1' },
        tunnel,
        timing: { retransmitTimeoutsMs: [400, 400, 400], message3QuietMs: 300, peerWaitMs: 2_000 },
        whenEstablished: 'keep',
      });
      if (result.outcome !== 'established') throw new Error(result.failure.text);
      cleanups.push(() => result.tunnel!.close());
      return result;
    };
    const first = await connect(PUSHED_ADDRESS_CLIENT);
    const second = await connect(SECOND_CLIENT);
    expect(router.tableSizes()).toMatchObject({ isakmpSas: 2, ipsecSaPairs: 2 });
    const channels = { first: channelOf(first), second: channelOf(second) };
    expect(await pingsAnswered(channels.second)).toBe(3);

    // The first client's own, authenticated Delete, naming the second's SPIs (both directions).
    const spis = [second.espSas!.inbound.spi, second.espSas!.outbound.spi];
    const deletion = buildInformational(first.sa, [{ kind: 'delete', protocolId: ProtocolId.IPSEC_ESP, spis }], 0x4e47e000).bytes;
    const read = new Promise<void>((resolve) => {
      const stop = router.on('ike-message', ({ message }) => {
        if (message.direction === 'in' && message.messageId === 0x4e47e000) {
          stop();
          resolve();
        }
      });
    });
    const socket = createSocket('udp4');
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    await new Promise<void>((resolve, reject) => socket.send(deletion, listening.ike.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
    await read;

    expect(router.tableSizes()).toMatchObject({ isakmpSas: 2, ipsecSaPairs: 2 });
    expect(await pingsAnswered(channels.second)).toBe(3);
    expect(await pingsAnswered(channels.first)).toBe(3);
  }, 30_000);
});
