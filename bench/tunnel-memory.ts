/**
 * Heap per established tunnel (issue 14, point 4, at the RTX's own scale): a router in a process
 * of its own (bench/support/router-process.ts, run with --expose-gc) on a config of 100 tunnels
 * (one `tunnel select N` per client, each its own `ipsec ike remote name`, one 241-address
 * mode-cfg pool; `syslog debug off`, so that the bounded log ring is not what grows), and 100
 * clients of the bundled yms-vpn1 profile that keep their tunnels up. The router's heap after
 * full collections, before and with all tunnels up, divided by their number, is what one
 * tunnel holds (ISAKMP SA with its XAUTH and mode-cfg exchanges, the IPsec SA pair, the lease,
 * the data plane's SA state); the heap after all are closed shows what is given back (bounded
 * caches that grow with traffic, such as the ike-message retransmission keys and the log ring,
 * stay).
 * 100 is the tunnel limit rtxlab keeps for the RTX1500 (ASSUMED); more needs the rtxlab option
 * issue 14 asks for (`--max-tunnels`), not built yet.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectClient } from '../src/index.js';
import type { OpenTunnel } from '../src/initiator/tunnel-session.js';
import { askRouterProcess } from './support/ask-router-process.js';
import type { BenchReport } from './run.js';

const TUNNELS = 100;
const TARGET_KB = 20;

/** The seed's global lines and one tunnel block per client. */
export function manyTunnelsConfig(tunnels: number): string {
  const blocks = Array.from({ length: tunnels }, (_, index) => {
    const n = index + 1;
    return [
      `tunnel select ${n}`,
      `ipsec tunnel ${n}`,
      `ipsec sa policy ${n} ${n} esp 3des-cbc sha-hmac`,
      `ipsec ike encryption ${n} 3des-cbc`,
      `ipsec ike group ${n} modp1024`,
      `ipsec ike hash ${n} sha`,
      `ipsec ike local address ${n} 172.16.0.254`,
      `ipsec ike nat-traversal ${n} on`,
      `ipsec ike payload type ${n} 3`,
      `ipsec ike pre-shared-key ${n} text PSKEY1`,
      `ipsec ike remote address ${n} any`,
      `ipsec ike remote name ${n} client${n}`,
      `ipsec ike xauth request ${n} on 11`,
      `ipsec ike mode-cfg address ${n} 1`,
      `tunnel enable ${n}`,
    ].join('\n');
  });
  return [
    'ip lan1 address 10.1.1.1/24',
    'ip lan2 address 172.16.0.254/24',
    ...blocks,
    'tunnel select none',
    'ipsec ike mode-cfg address pool 1 10.1.1.10-10.1.1.250/32',
    'syslog debug off',
    'auth user 1 user1 password',
    'auth user group 11 1-3',
    'auth user group attribute 11 xauth=on',
    '',
  ].join('\n');
}



const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export default async function tunnelMemoryBench(): Promise<BenchReport> {
  const child = fork(fileURLToPath(new URL('./support/router-process.ts', import.meta.url)), [], {
    execArgv: ['--openssl-legacy-provider', '--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const open: OpenTunnel[] = [];
  try {
    const { listening: gateway } = await askRouterProcess(child, { type: 'start', config: manyTunnelsConfig(TUNNELS) }, 'listening');
    // One tunnel up and down first: lazily built tables and compiled code are not per-tunnel state.
    await connectClient({ gateway, id: 'client1', whenEstablished: 'delete', confirmation: 'skip' });
    const before = await askRouterProcess(child, { type: 'memory' }, 'memory');
    const started = performance.now();
    let failed = 0;
    for (let n = 1; n <= TUNNELS; n++) {
      const result = await connectClient({ gateway, id: `client${n}`, whenEstablished: 'keep', confirmation: 'skip' });
      if (result.outcome === 'established' && result.tunnel) open.push(result.tunnel);
      else failed++;
    }
    const establishMs = performance.now() - started;
    const up = await askRouterProcess(child, { type: 'memory' }, 'memory');
    for (const tunnel of open.splice(0)) await tunnel.close();
    // The router reads the last Deletes after the clients have sent them: wait (5 s at most) until its tables are empty.
    let after = await askRouterProcess(child, { type: 'memory' }, 'memory');
    for (const waitUntil = performance.now() + 5_000; (after.tables?.isakmpSas ?? 0) > 0 && performance.now() < waitUntil; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await askRouterProcess(child, { type: 'memory' }, 'memory');
    }
    const established = TUNNELS - failed;
    const perTunnel = established > 0 ? (up.heapUsed - before.heapUsed) / established : Number.NaN;
    await askRouterProcess(child, { type: 'stop' }, 'stopped');
    return {
      name: 'tunnel-memory',
      rows: [
        { metric: 'tunnels held open', value: `${established} of ${TUNNELS} (router tables: ${up.tables?.isakmpSas} ISAKMP SAs, ${up.tables?.ipsecSaPairs} IPsec SA pairs, ${up.tables?.leases} leases)` },
        { metric: 'time to establish them, one after the other', value: `${(establishMs / 1000).toFixed(2)} s` },
        { metric: 'router heap per established tunnel (up - before)', value: kb(perTunnel) },
        // Bounded caches that grow with traffic, not with tunnels (the ike-message retransmission
        // keys, the log ring) stay after the tunnels close: without them, what the tunnels hold.
        { metric: 'router heap the tunnels give back when closed (up - after closing), per tunnel', value: kb((up.heapUsed - after.heapUsed) / Math.max(established, 1)) },
        { metric: 'router RSS per established tunnel', value: kb((up.rss - before.rss) / Math.max(established, 1)) },
        { metric: 'router heap after closing them, against before', value: `${kb(after.heapUsed - before.heapUsed)} (tables: ${after.tables?.isakmpSas} ISAKMP SAs, ${after.tables?.ipsecSaPairs} pairs)` },
      ],
      target: { description: `heap per established tunnel < ${TARGET_KB} KB`, met: failed === 0 && perTunnel < TARGET_KB * 1024 },
    };
  } finally {
    await Promise.all(open.map((tunnel) => tunnel.close().catch(() => undefined)));
    if (child.exitCode === null) child.kill();
  }
}
