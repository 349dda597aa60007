import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Debian 12 puts charon and its plugins (strongswan-charon, libcharon-*, libstrongswan-*). */
export const CHARON_PATH = '/usr/lib/ipsec/charon';
export const STRONGSWAN_PLUGIN_DIR = '/usr/lib/ipsec/plugins';

/** Plugins the lab's strongswan.conf loads that come from optional packages. */
const REQUIRED_PLUGINS: Record<string, string> = {
  'kernel-libipsec': 'libcharon-extra-plugins',
  'xauth-generic': 'libcharon-extauth-plugins',
  openssl: 'libstrongswan-standard-plugins',
  vici: 'strongswan-charon',
};

const REQUIRED_COMMANDS: Record<string, string> = {
  ip: 'iproute2',
  unshare: 'util-linux',
  swanctl: 'strongswan-swanctl',
  vpnc: 'vpnc',
  tshark: 'tshark',
  tcpdump: 'tcpdump',
  ping: 'iputils-ping',
};

function onPath(command: string): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']);
  return dirs.some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** What the interop lab lacks on this machine; empty when it can run. */
export function missingLabPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN)');
  for (const [command, pkg] of Object.entries(REQUIRED_COMMANDS)) {
    if (!onPath(command)) missing.push(`${command} (Debian package ${pkg})`);
  }
  if (!existsSync(CHARON_PATH)) missing.push(`${CHARON_PATH} (Debian package strongswan-charon)`);
  for (const [plugin, pkg] of Object.entries(REQUIRED_PLUGINS)) {
    if (!existsSync(join(STRONGSWAN_PLUGIN_DIR, `libstrongswan-${plugin}.so`))) missing.push(`strongSwan plugin ${plugin} (Debian package ${pkg})`);
  }
  if (!existsSync('/dev/net/tun')) missing.push('/dev/net/tun (kernel-libipsec and vpnc need TUN devices)');
  return missing;
}

/**
 * Why the interop tests must be skipped here, or undefined when they must run. Under CI
 * (CI=true) they always run: a CI machine without the peers is a broken CI machine, so the
 * tests fail there (see assertLabPrerequisites) instead of passing silently.
 */
export function interopSkipReason(): string | undefined {
  if (process.env.CI === 'true') return undefined;
  const missing = missingLabPrerequisites();
  if (missing.length === 0) return undefined;
  const reason = `interop lab unavailable (run as root after scripts/install-peers.sh): missing ${missing.join(', ')}`;
  console.warn(`[interop] SKIPPING: ${reason}`);
  return reason;
}

/** For a beforeAll: fails the suite, listing what is missing, when the lab cannot run. */
export function assertLabPrerequisites(): void {
  const missing = missingLabPrerequisites();
  if (missing.length > 0) {
    throw new Error(`interop lab prerequisites missing (install with scripts/install-peers.sh as root): ${missing.join('; ')}`);
  }
}
