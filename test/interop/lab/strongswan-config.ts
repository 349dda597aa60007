import { renderConf, type ConfSection } from './conf-syntax.js';

/**
 * Plugins charon loads in the lab. `load_modular = no` with an explicit list: loading every
 * installed plugin stalls charon on these machines (lab notes). kernel-libipsec provides
 * userspace ESP over a TUN device because kernel XFRM SAs fail here (netlink error 38).
 */
export const LAB_CHARON_PLUGINS = [
  'random', 'nonce', 'openssl', 'gcrypt', 'aes', 'sha1', 'sha2', 'md5', 'hmac', 'gmp', 'kdf', 'pem',
  'pkcs1', 'pubkey', 'x509', 'revocation', 'kernel-libipsec', 'kernel-netlink', 'socket-default',
  'vici', 'xauth-generic', 'attr', 'updown',
] as const;

export type CharonLogSubsystem = 'default' | 'dmn' | 'mgr' | 'ike' | 'chd' | 'job' | 'cfg' | 'knl' | 'net' | 'asn' | 'enc' | 'lib' | 'esp' | 'tls' | 'tnc' | 'imc' | 'imv' | 'pts';

/**
 * Retransmission of IKE messages: charon waits timeout * base^n seconds after send n
 * (n = 0..tries) before giving up. The defaults of strongSwan (5 tries, 4 s, 1.8) take minutes
 * to fail; the lab's default fails in about 4 s.
 */
export interface RetransmitSettings {
  tries: number;
  timeoutSeconds: number;
  base: number;
}

export const QUICK_RETRANSMIT: RetransmitSettings = { tries: 2, timeoutSeconds: 1, base: 1.4 };

export interface CharonSettings {
  /** Absolute path of the vici UNIX socket (outside /run: swanctl runs in the host's mount namespace). */
  viciSocketPath: string;
  logFilePath: string;
  retransmit?: RetransmitSettings;
  /** Per-subsystem log levels; default 1 with ike and cfg at 2 (proposal and ID matching details). */
  logLevels?: Partial<Record<CharonLogSubsystem, number>>;
  plugins?: readonly string[];
  /**
   * charon.i_dont_care_about_security_and_use_aggressive_mode_psk: required on both ends for
   * Aggressive Mode with PSK, or the responder answers AUTHENTICATION_FAILED. Default true.
   */
  allowAggressivePsk?: boolean;
  ikePort?: number;
  natTPort?: number;
  /** Extra keys merged into the charon section (e.g. { install_routes: false }). */
  extra?: ConfSection;
}

export function renderStrongswanConf(settings: CharonSettings): string {
  const retransmit = settings.retransmit ?? QUICK_RETRANSMIT;
  const charon: ConfSection = {
    load_modular: false,
    load: (settings.plugins ?? LAB_CHARON_PLUGINS).join(' '),
    i_dont_care_about_security_and_use_aggressive_mode_psk: settings.allowAggressivePsk ?? true,
    port: settings.ikePort ?? 500,
    port_nat_t: settings.natTPort ?? 4500,
    retransmit_tries: retransmit.tries,
    retransmit_timeout: retransmit.timeoutSeconds,
    retransmit_base: retransmit.base,
    plugins: { vici: { socket: `unix://${settings.viciSocketPath}` } },
    filelog: {
      lab: {
        path: settings.logFilePath,
        append: false,
        flush_line: true,
        time_format: '%H:%M:%S',
        ...{ default: 1, ike: 2, cfg: 2, ...settings.logLevels },
      },
    },
    syslog: { daemon: { default: -1 } },
    ...settings.extra,
  };
  return renderConf({ charon });
}

export interface PskSecret {
  /** swanctl identity, e.g. "myid" (FQDN/ID_USER_FQDN guess) or "keyid:myid" (ID_KEY_ID, what vpnc and RTX use). */
  id: string;
  secret: string;
}

export interface XauthCredentials {
  user: string;
  password: string;
}

/** An RTX remote-access client (IKEv1, XAUTH, mode-cfg) as a swanctl connection. */
export interface StrongSwanClientOptions {
  connectionName: string;
  childName: string;
  gateway: string;
  aggressive: boolean;
  localId: string;
  /** The gateway's IKE identity; "%any" accepts whatever it sends. */
  remoteId: string;
  psk: string;
  /** Credentials for the second (XAUTH) authentication round; undefined for PSK only. */
  xauth: XauthCredentials | undefined;
  /** false: accept the gateway's mode-cfg SET (push, as the RTX does); true: send a REQUEST. */
  pull: boolean;
  /** Force UDP encapsulation (faked NAT-D); kernel-libipsec needs ESP in UDP anyway. */
  encap: boolean;
  /** Virtual IPs to request; ["0.0.0.0"] asks for any IPv4 address, [] for none. */
  vips: readonly string[];
  proposals: readonly string[];
  espProposals: readonly string[];
  remoteTs: readonly string[];
  localTs?: readonly string[];
  mode: 'tunnel' | 'transport';
  dpdDelaySeconds?: number;
}

export function renderClientSwanctlConf(options: StrongSwanClientOptions): string {
  const connection: ConfSection = {
    version: 1,
    aggressive: options.aggressive,
    pull: options.pull,
    proposals: options.proposals,
    remote_addrs: options.gateway,
    vips: options.vips.length > 0 ? options.vips : undefined,
    encap: options.encap,
    dpd_delay: options.dpdDelaySeconds === undefined ? undefined : `${options.dpdDelaySeconds}s`,
    local: { auth: 'psk', id: options.localId },
    'local-xauth': options.xauth === undefined ? undefined : { auth: 'xauth', xauth_id: options.xauth.user },
    remote: { auth: 'psk', id: options.remoteId },
    children: {
      [options.childName]: {
        remote_ts: options.remoteTs,
        local_ts: options.localTs,
        esp_proposals: options.espProposals,
        mode: options.mode,
        start_action: 'none',
      },
    },
  };
  return renderConf({
    connections: { [options.connectionName]: connection },
    secrets: renderSecrets([{ id: options.localId, secret: options.psk }], options.xauth === undefined ? [] : [options.xauth]),
  });
}

/** A gateway shaped like the RTX1500 seed config: Aggressive Mode PSK, XAUTH, mode-cfg pool. */
export interface StrongSwanResponderOptions {
  connectionName: string;
  childName: string;
  localAddress: string;
  /** The gateway's IKE identity (the RTX sends its `ipsec ike local address`). */
  localId: string;
  /** The identity the client must present; "keyid:myid" for vpnc, "myid" for a strongSwan client using id = myid. */
  peerId: string;
  psk: string;
  /** Users accepted in the XAUTH round; empty disables XAUTH. */
  xauthUsers: readonly XauthCredentials[];
  /** false: push the mode-cfg SET after XAUTH (RTX behaviour); true: wait for a REQUEST (vpnc needs this). */
  pull: boolean;
  aggressive: boolean;
  poolName: string;
  /** Address range handed out by mode-cfg, e.g. "10.1.1.110-10.1.1.112". */
  poolAddresses: string;
  localTs: readonly string[];
  /** The client's side of Quick Mode; default `dynamic` (its virtual IP, or its address). */
  remoteTs?: readonly string[];
  proposals: readonly string[];
  espProposals: readonly string[];
  mode: 'tunnel' | 'transport';
  /** strongSwan sends its own R-U-THERE this often (when the peer announced DPD). */
  dpdDelaySeconds?: number;
}

export function renderResponderSwanctlConf(options: StrongSwanResponderOptions): string {
  const connection: ConfSection = {
    version: 1,
    aggressive: options.aggressive,
    pull: options.pull,
    proposals: options.proposals,
    local_addrs: options.localAddress,
    pools: options.poolName,
    dpd_delay: options.dpdDelaySeconds === undefined ? undefined : `${options.dpdDelaySeconds}s`,
    local: { auth: 'psk', id: options.localId },
    remote: { auth: 'psk', id: options.peerId },
    'remote-xauth': options.xauthUsers.length > 0 ? { auth: 'xauth' } : undefined,
    children: {
      [options.childName]: {
        local_ts: options.localTs,
        remote_ts: options.remoteTs,
        esp_proposals: options.espProposals,
        mode: options.mode,
      },
    },
  };
  return renderConf({
    connections: { [options.connectionName]: connection },
    pools: { [options.poolName]: { addrs: options.poolAddresses } },
    secrets: renderSecrets([{ id: options.peerId, secret: options.psk }], options.xauthUsers),
  });
}

/** swanctl secrets: `ike-N` for PSKs; `xauth-N` for XAUTH passwords (looked up as SHARED_EAP by xauth-generic). */
function renderSecrets(psks: readonly PskSecret[], xauthUsers: readonly XauthCredentials[]): ConfSection {
  const secrets: Record<string, ConfSection> = {};
  psks.forEach((psk, index) => (secrets[`ike-${index + 1}`] = { id: psk.id, secret: psk.secret }));
  xauthUsers.forEach((user, index) => (secrets[`xauth-${index + 1}`] = { id: user.user, secret: user.password }));
  return secrets;
}
