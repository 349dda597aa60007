import { Daemon, runChecked, runCommand, type CommandResult, type DaemonOptions, type RunOptions } from './process.js';

export interface SpawnInNamespaceOptions extends DaemonOptions {
  /**
   * Gives the process its own mount namespace with an empty tmpfs on /run, so that two charons
   * (or charon and vpnc) in different network namespaces do not share pid files and sockets.
   */
  privateRun?: boolean;
}

export interface Ipv4Address {
  device: string;
  address: string;
  prefixLength: number;
}

/** Shell run by `unshare -m`: mount the private /run, then become the daemon (same pid). */
const PRIVATE_RUN_SCRIPT = 'mount -t tmpfs -o mode=755 rtxlab-run /run && exec "$@"';

export function privateRunArgv(argv: readonly string[]): string[] {
  return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', PRIVATE_RUN_SCRIPT, 'sh', ...argv];
}

/** Receives the daemons started in a namespace, so whoever owns the namespace can stop them. */
export type DaemonSink = (daemon: Daemon) => void;

/** A network namespace created by the lab (`ip netns add`), addressed by its name. */
export class NetNamespace {
  constructor(
    readonly name: string,
    private readonly adoptDaemon: DaemonSink = () => {},
  ) {}

  /** argv prefixed with `ip netns exec <name>`. */
  execArgv(argv: readonly string[]): string[] {
    return ['ip', 'netns', 'exec', this.name, ...argv];
  }

  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
    return runCommand(this.execArgv(argv), options);
  }

  runChecked(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
    return runChecked(this.execArgv(argv), options);
  }

  /** Starts a long-running process inside the namespace; the lab stops it at teardown if the test did not. */
  spawn(argv: readonly string[], options: SpawnInNamespaceOptions = {}): Daemon {
    const inner = options.privateRun ? privateRunArgv(argv) : [...argv];
    const daemon = new Daemon(this.execArgv(inner), options);
    this.adoptDaemon(daemon);
    return daemon;
  }

  /** `ip address add` (default device: lo), e.g. the router's inside address 10.1.1.1/32. */
  async addAddress(cidr: string, device = 'lo'): Promise<void> {
    await runChecked(['ip', '-n', this.name, 'address', 'add', cidr, 'dev', device]);
  }

  async ipv4Addresses(device?: string): Promise<Ipv4Address[]> {
    const argv = ['ip', '-n', this.name, '-json', '-4', 'address', 'show'];
    if (device !== undefined) argv.push('dev', device);
    const result = await runCommand(argv);
    // A device that does not exist (yet) simply has no address.
    if (result.exitCode !== 0) return [];
    return parseIpAddressJson(result.stdout);
  }

  /** One echo request per try; true when any reply came back. */
  async ping(address: string, options: { count?: number; waitSeconds?: number; source?: string } = {}): Promise<boolean> {
    const count = options.count ?? 1;
    const wait = options.waitSeconds ?? 1;
    const argv = ['ping', '-n', '-c', String(count), '-W', String(wait)];
    if (options.source !== undefined) argv.push('-I', options.source);
    const result = await this.run([...argv, address], { timeoutMs: (count * (wait + 1) + 2) * 1000 });
    return result.exitCode === 0;
  }

  /** Local addresses ("192.0.2.254:500") of the UDP sockets bound in this namespace. */
  async udpListeners(): Promise<string[]> {
    const result = await runChecked(['ip', 'netns', 'exec', this.name, 'ss', '-H', '-l', '-u', '-n']);
    return result.stdout.split('\n').map((line) => line.trim().split(/\s+/)[3]).filter((local): local is string => local !== undefined);
  }

  /**
   * Resolves once something in the namespace has bound UDP `port` (e.g. the emulator on 500):
   * a readiness check that does not depend on what the daemon logs.
   */
  async waitForUdpListener(port: number, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const bound = (await this.udpListeners()).find((local) => local.endsWith(`:${port}`));
      if (bound !== undefined) return bound;
      if (Date.now() > deadline) throw new Error(`nothing bound UDP port ${port} in ${this.name} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Pids of every process whose network namespace this is. */
  async pids(): Promise<number[]> {
    const result = await runCommand(['ip', 'netns', 'pids', this.name]);
    return result.stdout.split('\n').filter((line) => /^\d+$/.test(line)).map(Number);
  }
}

interface IpJsonInterface {
  ifname?: string;
  addr_info?: Array<{ family?: string; local?: string; prefixlen?: number }>;
}

/** Reads `ip -json address show` output. */
export function parseIpAddressJson(json: string): Ipv4Address[] {
  const interfaces = JSON.parse(json.trim() === '' ? '[]' : json) as IpJsonInterface[];
  return interfaces.flatMap((entry) =>
    (entry.addr_info ?? [])
      .filter((info) => info.family === 'inet' && info.local !== undefined)
      .map((info) => ({ device: entry.ifname ?? '', address: info.local!, prefixLength: info.prefixlen ?? 32 })),
  );
}
