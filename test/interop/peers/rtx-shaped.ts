/**
 * Peer presets shaped like the RTX1500 remote-access setup of the seed write-up (PSK id "myid"
 * / PSKEY1, XAUTH user1 / password, pool 10.1.1.110-112, LAN 10.1.1.0/24, 3DES/SHA1/MODP1024),
 * as they ran against each other on these machines (shared/lab). A test takes a preset and
 * overrides what it varies.
 */
import type { StrongSwanClientOptions, StrongSwanResponderOptions } from '../lab/strongswan-config.js';
import type { VpncOptions } from '../lab/vpnc.js';

export const RTX_GATEWAY_ADDRESS = '192.0.2.254';
/** The RTX's `ip lan1 address` in the seed config: the inside network the tunnels lead to. */
export const RTX_LAN_ADDRESS = '10.1.1.1';
export const RTX_LAN_NETWORK = '10.1.1.0/24';
export const RTX_POOL = '10.1.1.110-10.1.1.112';
export const RTX_FIRST_POOL_ADDRESS = '10.1.1.110';
export const RTX_GROUP_ID = 'myid';
export const RTX_PSK = 'PSKEY1';
export const RTX_XAUTH_USER = { user: 'user1', password: 'password' } as const;

/** strongSwan 5.9 as the RTX's remote-access client: Aggressive Mode, XAUTH, accepts the mode-cfg push. */
export function rtxStrongSwanClient(overrides: Partial<StrongSwanClientOptions> = {}): StrongSwanClientOptions {
  return {
    connectionName: 'rtx',
    childName: 'rtx',
    gateway: RTX_GATEWAY_ADDRESS,
    aggressive: true,
    localId: RTX_GROUP_ID,
    remoteId: '%any',
    psk: RTX_PSK,
    xauth: { ...RTX_XAUTH_USER },
    pull: false,
    encap: true,
    vips: ['0.0.0.0'],
    proposals: ['3des-sha1-modp1024'],
    espProposals: ['3des-sha1'],
    remoteTs: [RTX_LAN_NETWORK],
    mode: 'tunnel',
    ...overrides,
  };
}

/** strongSwan 5.9 as a responder shaped like the RTX: the peer for the bundled initiator, and the reference for the emulator. */
export function rtxStrongSwanResponder(overrides: Partial<StrongSwanResponderOptions> = {}): StrongSwanResponderOptions {
  return {
    connectionName: 'rtx',
    childName: 'rtx',
    localAddress: RTX_GATEWAY_ADDRESS,
    localId: RTX_GATEWAY_ADDRESS,
    peerId: RTX_GROUP_ID,
    psk: RTX_PSK,
    xauthUsers: [{ ...RTX_XAUTH_USER }],
    pull: false,
    aggressive: true,
    poolName: 'rw',
    poolAddresses: RTX_POOL,
    localTs: [RTX_LAN_NETWORK],
    proposals: ['3des-sha1-modp1024'],
    espProposals: ['3des-sha1'],
    mode: 'tunnel',
    ...overrides,
  };
}

/**
 * vpnc 0.5.3 configured for the RTX. vpnc sends its group name as ID_KEY_ID, so a strongSwan
 * responder must expect peerId "keyid:myid"; and vpnc only does mode-cfg REQUEST/REPLY, so the
 * responder must have pull = true.
 */
export function rtxVpnc(overrides: Partial<VpncOptions> = {}): VpncOptions {
  return {
    gateway: RTX_GATEWAY_ADDRESS,
    groupId: RTX_GROUP_ID,
    groupSecret: RTX_PSK,
    xauthUser: RTX_XAUTH_USER.user,
    xauthPassword: RTX_XAUTH_USER.password,
    dhGroup: 'dh2',
    pfs: 'nopfs',
    natTraversal: 'natt',
    vendor: 'cisco',
    localPort: 500,
    weakEncryption: true,
    weakAuthentication: false,
    ...overrides,
  };
}
