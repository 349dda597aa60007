import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetNamespace } from './netns.js';
import { assertSucceeded, runCommand, waitUntil, type CommandResult, type Daemon } from './process.js';
import { CHARON_PATH } from './prerequisites.js';
import {
  renderClientSwanctlConf,
  renderResponderSwanctlConf,
  renderStrongswanConf,
  type CharonSettings,
  type StrongSwanClientOptions,
  type StrongSwanResponderOptions,
} from './strongswan-config.js';
import { parseListSas, type IkeSaState } from './swanctl-pretty.js';
import { espSaKeys, ikev1EncryptionKeys } from './charon-keys.js';
import type { EspSaKey, Ikev1DecryptionKey } from './tshark.js';

/** charon settings a test may tune; the socket and log paths belong to the harness. */
export interface CharonTuning extends Omit<CharonSettings, 'viciSocketPath' | 'logFilePath'> {
  /** Log ike and chd at level 4, which prints IKE and ESP keys (for ikev1DecryptionKey / espSaKeys). */
  logKeys?: boolean;
}

export interface InitiateOptions {
  /** Limit for the whole exchange; swanctl gets the same limit (rounded up to seconds). Default 20 s. */
  timeoutMs?: number;
}

/**
 * One charon daemon in a lab namespace, with a private /run, its own vici socket and log file
 * in `dir`, driven by the host's swanctl through that socket.
 */
export class Charon {
  readonly viciSocketPath: string;
  readonly logPath: string;
  readonly swanctlConfPath: string;
  readonly strongswanConfPath: string;

  private constructor(
    readonly node: NetNamespace,
    readonly dir: string,
    readonly daemon: Daemon,
  ) {
    this.viciSocketPath = join(dir, 'charon.vici');
    this.logPath = join(dir, 'charon.log');
    this.swanctlConfPath = join(dir, 'swanctl.conf');
    this.strongswanConfPath = join(dir, 'strongswan.conf');
  }

  /** Writes the configs into `dir`, starts charon, waits for its vici socket and loads swanctl.conf. */
  static async start(node: NetNamespace, dir: string, swanctlConf: string, tuning: CharonTuning = {}): Promise<Charon> {
    mkdirSync(dir, { recursive: true });
    const strongswanConfPath = join(dir, 'strongswan.conf');
    const { logKeys, ...settings } = tuning;
    const logLevels = logKeys ? { ...settings.logLevels, ike: 4, chd: 4 } : settings.logLevels;
    writeFileSync(
      strongswanConfPath,
      renderStrongswanConf({ ...settings, logLevels, viciSocketPath: join(dir, 'charon.vici'), logFilePath: join(dir, 'charon.log') }),
    );
    writeFileSync(join(dir, 'swanctl.conf'), swanctlConf);
    const daemon = node.spawn([CHARON_PATH], {
      privateRun: true,
      env: { ...process.env, STRONGSWAN_CONF: strongswanConfPath },
    });
    const charon = new Charon(node, dir, daemon);
    await waitUntil(
      () => (existsSync(charon.viciSocketPath) ? true : undefined),
      undefined,
      () => !daemon.isRunning(),
      10_000,
      () => `charon in ${node.name} did not open ${charon.viciSocketPath}\n${daemon.output().slice(-2000)}\n${charon.log().slice(-2000)}`,
    );
    await charon.loadAll();
    return charon;
  }

  /** charon's file log so far (levels per CharonSettings.logLevels). */
  log(): string {
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  waitForLog(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return waitUntil(
      () => this.log().match(pattern) ?? undefined,
      undefined,
      () => !this.daemon.isRunning(),
      timeoutMs,
      () => `no ${pattern} in ${this.logPath}\n${this.log().slice(-3000)}`,
    );
  }

  /** Runs swanctl against this charon's vici socket. */
  swanctl(args: readonly string[], timeoutMs = 10_000): Promise<CommandResult> {
    return runCommand(['swanctl', ...args, '--uri', `unix://${this.viciSocketPath}`], { timeoutMs });
  }

  async loadAll(): Promise<void> {
    assertSucceeded(await this.swanctl(['--load-all', '--file', this.swanctlConfPath]));
  }

  /** Replaces swanctl.conf and loads it (connections, pools and secrets no longer present are unloaded). */
  async reload(swanctlConf: string): Promise<void> {
    writeFileSync(this.swanctlConfPath, swanctlConf);
    await this.loadAll();
  }

  /**
   * `swanctl --initiate --child NAME`: resolves when the exchange has finished or failed (exit
   * code 0 means the CHILD_SA was established); swanctl prints charon's log of the attempt.
   */
  initiate(child: string, options: InitiateOptions = {}): Promise<CommandResult> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    return this.swanctl(['--initiate', '--child', child, '--timeout', String(Math.ceil(timeoutMs / 1000))], timeoutMs + 2_000);
  }

  async terminateIke(ike: string, timeoutMs = 10_000): Promise<CommandResult> {
    return this.swanctl(['--terminate', '--ike', ike, '--timeout', String(Math.ceil(timeoutMs / 1000))], timeoutMs + 2_000);
  }

  async listSas(): Promise<IkeSaState[]> {
    return parseListSas(assertSucceeded(await this.swanctl(['--list-sas', '--pretty'])).stdout);
  }

  /** IPv4 addresses on the TUN device kernel-libipsec created (where charon installs virtual IPs). */
  async virtualIps(device = 'ipsec0'): Promise<string[]> {
    return (await this.node.ipv4Addresses(device)).map((entry) => entry.address);
  }

  /**
   * tshark's ikev1_decryption_table record for this charon's (single) IKE SA: its initiator
   * cookie and the last Ka in the log. Needs `logKeys`.
   */
  async ikev1DecryptionKey(): Promise<Ikev1DecryptionKey> {
    const sas = await this.listSas();
    const encryptionKey = ikev1EncryptionKeys(this.log()).at(-1);
    if (sas.length !== 1 || encryptionKey === undefined) {
      throw new Error(`ikev1DecryptionKey needs exactly one IKE SA (found ${sas.length}) and a logged Ka (start charon with logKeys)`);
    }
    return { initiatorCookie: sas[0]!.initiatorSpi, encryptionKey: encryptionKey.toString('hex') };
  }

  /** tshark's esp_sa records for every CHILD_SA in the log (both directions). Needs `logKeys`. */
  espSaKeys(): EspSaKey[] {
    return espSaKeys(this.log());
  }

  stop(): Promise<unknown> {
    return this.daemon.stop();
  }
}

export function startStrongSwanClient(node: NetNamespace, dir: string, options: StrongSwanClientOptions, tuning?: CharonTuning): Promise<Charon> {
  return Charon.start(node, dir, renderClientSwanctlConf(options), tuning);
}

export function startStrongSwanResponder(node: NetNamespace, dir: string, options: StrongSwanResponderOptions, tuning?: CharonTuning): Promise<Charon> {
  return Charon.start(node, dir, renderResponderSwanctlConf(options), tuning);
}
