import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetNamespace } from './netns.js';
import { runChecked, runCommand, type Daemon } from './process.js';

/**
 * Every namespace and work folder the lab creates starts with this prefix followed by the
 * creating process's pid, so a later run can tell ours from anyone else's and find the ones a
 * crashed run left behind.
 */
export const LAB_PREFIX = 'rtxlab';
const NAMESPACE_PATTERN = new RegExp(`^${LAB_PREFIX}-(\\d+)-\\d+-`);
const WORKDIR_PATTERN = new RegExp(`^${LAB_PREFIX}-lab-(\\d+)-\\d+-`);

export interface LabOptions {
  /** Number of client namespaces (default 1); ignored when clientAddresses is given. */
  clients?: number;
  /** The router's address on the shared segment (default 192.0.2.254, RFC 5737 documentation range). */
  routerAddress?: string;
  /** One address per client (default 192.0.2.132, .133, ...). */
  clientAddresses?: string[];
  prefixLength?: number;
  /**
   * Extra addresses (CIDR) put on the router namespace's loopback, e.g. the RTX LAN address
   * 10.1.1.1/32. A strongSwan responder needs an address inside its local traffic selector:
   * without one it cannot install the route to the client's virtual IP and deletes the CHILD_SA
   * right after Quick Mode ("error installing route with policy").
   */
  routerInsideAddresses?: string[];
}

/** A namespace of the lab with its address on the shared segment. */
export class LabNode extends NetNamespace {
  constructor(
    name: string,
    adoptDaemon: (daemon: Daemon) => void,
    /** Address on the shared 192.0.2.0/24 segment. */
    readonly address: string,
    /** The device holding `address` (router: the bridge br0; clients: eth0): the one to capture on. */
    readonly iface: string,
  ) {
    super(name, adoptDaemon);
  }
}

let labsCreated = 0;
let staleCleanupDone = false;
const liveLabs = new Set<Lab>();

/**
 * A router namespace and N client namespaces on one Ethernet segment: a bridge in the router
 * namespace with one veth pair per client. Veth ends are created directly inside their
 * namespaces, so device names never meet in the host namespace and parallel labs cannot collide.
 */
export class Lab {
  readonly router: LabNode;
  readonly clients: readonly LabNode[];
  private readonly daemons: Daemon[] = [];
  private disposed = false;

  private constructor(
    readonly id: string,
    /** Per-lab folder for configs, logs and captures (removed at dispose unless RTXLAB_KEEP_LAB=1). */
    readonly workDir: string,
    routerAddress: string,
    clientAddresses: readonly string[],
  ) {
    const adopt = (daemon: Daemon) => this.daemons.push(daemon);
    this.router = new LabNode(`${id}-rtr`, adopt, routerAddress, 'br0');
    this.clients = clientAddresses.map((address, index) => new LabNode(`${id}-c${index}`, adopt, address, 'eth0'));
  }

  /** The first client (the only one in a default lab). */
  get client(): LabNode {
    return this.clients[0]!;
  }

  get namespaces(): LabNode[] {
    return [this.router, ...this.clients];
  }

  path(...parts: string[]): string {
    return join(this.workDir, ...parts);
  }

  static async create(options: LabOptions = {}): Promise<Lab> {
    if (!staleCleanupDone) {
      staleCleanupDone = true;
      await cleanupStaleLabs();
    }
    const prefixLength = options.prefixLength ?? 24;
    const clientAddresses = options.clientAddresses ??
      Array.from({ length: options.clients ?? 1 }, (_, index) => `192.0.2.${132 + index}`);
    const id = `${LAB_PREFIX}-${process.pid}-${++labsCreated}`;
    const workDir = mkdtempSync(join(tmpdir(), `${LAB_PREFIX}-lab-${process.pid}-${labsCreated}-`));
    const lab = new Lab(id, workDir, options.routerAddress ?? '192.0.2.254', clientAddresses);
    liveLabs.add(lab);
    try {
      await lab.build(prefixLength, options.routerInsideAddresses ?? []);
    } catch (error) {
      await lab.dispose().catch(() => {});
      throw error;
    }
    return lab;
  }

  private async build(prefixLength: number, insideAddresses: readonly string[]): Promise<void> {
    const router = this.router.name;
    for (const node of this.namespaces) {
      await runChecked(['ip', 'netns', 'add', node.name]);
      await runChecked(['ip', '-n', node.name, 'link', 'set', 'lo', 'up']);
    }
    await runChecked(['ip', '-n', router, 'link', 'add', 'br0', 'type', 'bridge']);
    await runChecked(['ip', '-n', router, 'address', 'add', `${this.router.address}/${prefixLength}`, 'dev', 'br0']);
    await runChecked(['ip', '-n', router, 'link', 'set', 'br0', 'up']);
    for (const [index, client] of this.clients.entries()) {
      const port = `p${index}`;
      await runChecked(['ip', 'link', 'add', port, 'netns', router, 'type', 'veth', 'peer', 'name', client.iface, 'netns', client.name]);
      await runChecked(['ip', '-n', router, 'link', 'set', port, 'master', 'br0', 'up']);
      await runChecked(['ip', '-n', client.name, 'address', 'add', `${client.address}/${prefixLength}`, 'dev', client.iface]);
      await runChecked(['ip', '-n', client.name, 'link', 'set', client.iface, 'up']);
    }
    for (const cidr of insideAddresses) await this.router.addAddress(cidr, 'lo');
  }

  /**
   * Stops every daemon started through the lab, kills whatever else still runs in its
   * namespaces, deletes the namespaces (which removes the veth pairs) and the work folder.
   * Safe to call twice; throws only if a namespace could not be deleted.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.daemons.map((daemon) => daemon.stop({ graceMs: 2_000 })));
    const failures: string[] = [];
    for (const node of this.namespaces) {
      for (const pid of await node.pids()) killQuietly(pid);
      const result = await runCommand(['ip', 'netns', 'del', node.name]);
      if (result.exitCode !== 0 && !/No such file/.test(result.stderr)) failures.push(`${node.name}: ${result.stderr.trim()}`);
    }
    if (process.env.RTXLAB_KEEP_LAB !== '1') rmSync(this.workDir, { recursive: true, force: true });
    liveLabs.delete(this);
    if (failures.length > 0) throw new Error(`lab ${this.id}: namespaces not deleted:\n${failures.join('\n')}`);
  }

  /** Last-resort synchronous teardown for a process that exits without having disposed. */
  disposeSync(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const node of this.namespaces) deleteNamespaceSync(node.name);
    if (process.env.RTXLAB_KEEP_LAB !== '1') rmSync(this.workDir, { recursive: true, force: true });
    liveLabs.delete(this);
  }
}

/** Creates a lab, hands it to `body`, and always disposes it, whatever `body` does. */
export async function withLab<T>(options: LabOptions, body: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await Lab.create(options);
  try {
    return await body(lab);
  } finally {
    await lab.dispose();
  }
}

process.once('exit', () => {
  for (const lab of liveLabs) lab.disposeSync();
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Exited meanwhile.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function deleteNamespaceSync(name: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout ?? '';
  for (const line of pids.split('\n')) if (/^\d+$/.test(line)) killQuietly(Number(line));
  spawnSync('ip', ['netns', 'del', name]);
}

/** Names of lab namespaces and work folders whose creating process is gone. Pure. */
export function staleLabNames(names: readonly string[], pattern: RegExp, alive: (pid: number) => boolean): string[] {
  return names.filter((name) => {
    const match = pattern.exec(name);
    return match !== null && !alive(Number(match[1]));
  });
}

/**
 * Removes namespaces and work folders left by lab runs that crashed (their pid no longer
 * exists), killing the processes still running inside those namespaces: they were started by
 * the crashed run. Namespaces of live processes, ours or a parallel test file's, are left alone.
 */
export async function cleanupStaleLabs(): Promise<string[]> {
  const removed: string[] = [];
  let namespaces: string[] = [];
  try {
    namespaces = readdirSync('/run/netns');
  } catch {
    // No namespace was ever created on this machine.
  }
  for (const name of staleLabNames(namespaces, NAMESPACE_PATTERN, isAlive)) {
    deleteNamespaceSync(name);
    removed.push(name);
  }
  for (const name of staleLabNames(readdirSync(tmpdir()), WORKDIR_PATTERN, isAlive)) {
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
