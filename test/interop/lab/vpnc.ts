import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetNamespace } from './netns.js';
import type { Daemon } from './process.js';

/** The lab's vpnc-script: configures the TUN device only, and records each call. */
export const LAB_VPNC_SCRIPT = fileURLToPath(new URL('../peers/vpnc-script.sh', import.meta.url));

/** vpnc 0.5.3 settings (vpnc.conf keys, see `vpnc --long-help`). */
export interface VpncOptions {
  gateway: string;
  /** `IPSec ID`: sent as ID type KEY_ID (11). */
  groupId: string;
  groupSecret: string;
  xauthUser: string;
  xauthPassword: string;
  dhGroup: 'dh1' | 'dh2' | 'dh5' | 'dh14' | 'dh15' | 'dh16' | 'dh17' | 'dh18';
  pfs: 'nopfs' | 'dh1' | 'dh2' | 'dh5' | 'dh14' | 'dh15' | 'dh16' | 'dh17' | 'dh18' | 'server';
  natTraversal: 'natt' | 'none' | 'force-natt' | 'cisco-udp';
  vendor: 'cisco' | 'netscreen' | 'fortigate';
  localPort: number;
  /** Without it vpnc refuses to offer (single or triple) DES: "considered too weak". */
  weakEncryption: boolean;
  /** Needed for MD5 (added to vpnc 2022-09-20, in Debian's 0.5.3+git20220927). */
  weakAuthentication: boolean;
}

export interface VpncFiles {
  scriptCommand: string;
  pidFile: string;
}

export function renderVpncConf(options: VpncOptions, files: VpncFiles): string {
  const lines = [
    `IPSec gateway ${options.gateway}`,
    `IPSec ID ${options.groupId}`,
    `IPSec secret ${options.groupSecret}`,
    `Xauth username ${options.xauthUser}`,
    `Xauth password ${options.xauthPassword}`,
    `IKE DH Group ${options.dhGroup}`,
    `Perfect Forward Secrecy ${options.pfs}`,
    'IKE Authmode psk',
    `NAT Traversal Mode ${options.natTraversal}`,
    `Vendor ${options.vendor}`,
    `Local Port ${options.localPort}`,
    `Script ${files.scriptCommand}`,
    `Pidfile ${files.pidFile}`,
    'No Detach',
    ...(options.weakEncryption ? ['Enable weak encryption'] : []),
    ...(options.weakAuthentication ? ['Enable weak authentication'] : []),
  ];
  for (const line of lines) if (/[\n\r]/.test(line)) throw new Error(`vpnc.conf line must be one line: ${JSON.stringify(line)}`);
  return lines.join('\n') + '\n';
}

/** One call of the vpnc-script: `reason` (pre-init, connect, disconnect, ...) and what vpnc passed. */
export interface VpncScriptCall {
  reason: string;
  variables: Record<string, string>;
}

/** vpnc's debug-3 trace names each step; S7.9 is its ESP main loop (phase 1, XAUTH, mode-cfg and QM are done). */
export const VPNC_MAIN_LOOP = /S7\.9 main loop/;

export interface VpncStartOptions {
  /** Routes the lab script adds through the TUN device on connect, e.g. ["10.1.1.0/24"]. */
  routes?: readonly string[];
  debugLevel?: number;
}

/** A running `vpnc --no-detach` in a lab namespace. */
export class VpncSession {
  readonly confPath: string;
  readonly eventsDir: string;

  constructor(
    readonly dir: string,
    readonly daemon: Daemon,
  ) {
    this.confPath = join(dir, 'vpnc.conf');
    this.eventsDir = join(dir, 'script-calls');
  }

  output(): string {
    return this.daemon.output();
  }

  waitForMainLoop(timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return this.daemon.waitForOutput(VPNC_MAIN_LOOP, timeoutMs);
  }

  /** The vpnc-script calls so far, in order. */
  scriptCalls(): VpncScriptCall[] {
    return readdirSync(this.eventsDir)
      .filter((name) => name.endsWith('.env'))
      .sort()
      .map((name) => {
        const variables = parseEnvLines(readFileSync(join(this.eventsDir, name), 'utf8'));
        return { reason: variables.reason ?? '', variables };
      });
  }

  stop(): Promise<unknown> {
    return this.daemon.stop();
  }
}

export function parseEnvLines(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) variables[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return variables;
}

/** Writes vpnc.conf into `dir` and starts vpnc (private /run, so its pid file and /var/run/vpnc stay in the namespace's mount). */
export function startVpnc(node: NetNamespace, dir: string, options: VpncOptions, start: VpncStartOptions = {}): VpncSession {
  mkdirSync(join(dir, 'script-calls'), { recursive: true });
  const confPath = join(dir, 'vpnc.conf');
  writeFileSync(confPath, renderVpncConf(options, { scriptCommand: `/bin/sh ${LAB_VPNC_SCRIPT}`, pidFile: join(dir, 'vpnc.pid') }));
  const daemon = node.spawn(['vpnc', '--debug', String(start.debugLevel ?? 3), '--no-detach', confPath], {
    privateRun: true,
    env: {
      ...process.env,
      RTXLAB_VPNC_EVENTS: join(dir, 'script-calls'),
      RTXLAB_VPNC_ROUTES: (start.routes ?? []).join(' '),
    },
  });
  return new VpncSession(dir, daemon);
}
