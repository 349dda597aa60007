/**
 * `rtxlab doctor --config FILE --client PROFILE`: runs that client profile against the config in
 * this process and says where it stops and the smallest change that makes it connect, each change
 * verified by a re-run (src/doctor/). Exit status: 0 when the client connects as configured (with
 * `--accept-fix`: when it connects with the fixes applied), 1 when it does not, 2 for options that
 * cannot be run.
 */
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { DEFAULT_CONFIG_TEXT } from '../config/default-config.js';
import { readDecryptionTable } from '../doctor/capture-decrypt.js';
import { applyFix, describeFix, diagnose, doctorJson, explainStop, formatCaptureReport, formatDoctorReport, judgeCapture, readPcapIke, runScenario, type DoctorScenario } from '../doctor/index.js';
import { PROFILE_NAMES, parseDhGroup, parseEspSuite, parseIkeSuite, type ProfileName, type ProfileOverrides } from '../initiator/profiles/index.js';
import { processIo, type CliIo } from './io.js';

interface DoctorCliOptions {
  readonly config?: string;
  readonly client?: ProfileName;
  readonly pcap?: string;
  readonly keys?: string;
  readonly id: string;
  readonly psk: string;
  readonly user: string;
  readonly password: string;
  readonly ike?: string;
  readonly esp?: string;
  readonly pfs?: string;
  readonly pull?: boolean;
  readonly clients: string;
  readonly json?: boolean;
  readonly acceptFix?: boolean;
}

/** Usage problems: exit status 2, one sentence on stderr. */
class UsageError extends Error {}

export function buildDoctorCommand(io: CliIo = processIo): Command {
  return new Command('doctor')
    .description('why does this client not connect to this config? runs it in process, names where it stops and the smallest verified change (router or client) that makes it connect')
    .option('--config <file>', 'the router config (default: the embedded seed config)')
    .addOption(new Option('--client <profile>', 'the client profile to run (docs/matrix.md)').choices(PROFILE_NAMES))
    .option('--pcap <file>', "instead of --client: judge a real client's capture (libpcap) against the config, as far as it travels in clear")
    .option('--keys <file>', "with --pcap: Wireshark ikev1_decryption_table (rtxlab start --keys): XAUTH, mode-cfg and Quick Mode are judged too")
    .option('--id <id>', 'IDii (FQDN) the client sends', 'myid')
    .option('--psk <key>', "the client's pre-shared key (0x... for hex)", 'PSKEY1')
    .option('--user <name>', "the client's XAUTH user name", 'user1')
    .option('--password <pass>', "the client's XAUTH password", 'password')
    .option('--ike <suite>', "one Phase 1 transform instead of the profile's, ENC-HASH-GROUP")
    .option('--esp <suite>', "one ESP transform instead of the profile's, ENC-INTEGRITY")
    .option('--pfs <group>', 'PFS group in Quick Mode, or off')
    .option('--pull', "the client pulls its address (strongSwan `pull = yes`)")
    .option('--clients <n>', 'this many such clients at once (IDs myid, myid2, ...): pools and tunnels for more than one', '1')
    .option('--json', 'machine-readable report on stdout (for CI)')
    // Commander's own usage errors (a bad --client, an unknown option) exit 2 like ours, not 1: 1 means "does not connect".
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .option('--accept-fix', 'apply the fixes found in process (no file is written), re-run, exit 0 if the client then connects')
    .action(async (options: DoctorCliOptions) => {
      if (options.pcap !== undefined) return doctorCapture(options, io);
      let scenario: DoctorScenario;
      let source: string;
      try {
        ({ scenario, source } = await scenarioOf(options));
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr(`rtxlab doctor: ${error.message}\n`);
        io.setExitCode(2);
        return;
      }
      const report = await diagnose(scenario, options.json ? {} : { onRun: (what) => io.stderr(`rtxlab doctor: running ${what}\n`) });
      let acceptedRunConnects: boolean | undefined;
      if (options.acceptFix && report.fixes.length > 0) {
        const fixed = report.fixes.reduce(applyFix, scenario);
        acceptedRunConnects = (await runScenario(fixed)).connected;
      }
      if (options.json) {
        io.stdout(`${JSON.stringify({ ...doctorJson(report), ...(acceptedRunConnects === undefined ? {} : { acceptedFixesConnect: acceptedRunConnects }) }, null, 2)}\n`);
      } else {
        const lines = formatDoctorReport(report, source);
        if (acceptedRunConnects !== undefined) lines.push(`accepted ${report.fixes.length} fix(es) in process, re-ran: ${acceptedRunConnects ? 'connects' : 'still does not connect'}`);
        io.stdout(`${lines.join('\n')}\n`);
      }
      const connects = report.connectsAsConfigured || acceptedRunConnects === true;
      io.setExitCode(connects ? 0 : 1);
    });
}

/** `--pcap FILE`: exit 0 when nothing in clear diverges, 1 when something does, 2 when the file cannot be read. */
async function doctorCapture(options: DoctorCliOptions, io: CliIo): Promise<void> {
  const usage = (text: string) => {
    io.stderr(`rtxlab doctor: ${text}\n`);
    io.setExitCode(2);
  };
  let configText: string;
  let capture: Buffer;
  let keys: Map<string, Buffer> | undefined;
  try {
    configText = await configTextOf(options);
    capture = await readFile(options.pcap!);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    return usage(`cannot read --pcap ${options.pcap}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (options.keys !== undefined) {
    try {
      keys = readDecryptionTable(await readFile(options.keys, 'utf8'));
    } catch (error) {
      return usage(`cannot read --keys ${options.keys}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const reading = readPcapIke(capture);
  if (!reading.ok) return usage(`--pcap ${options.pcap}: ${reading.problem}`);
  const report = await judgeCapture(reading.datagrams, configText, keys);
  if (options.json) io.stdout(`${JSON.stringify({ ...report, verdict: report.verdict.kind === 'diverges' ? { ...report.verdict, fixes: report.verdict.fixes.map((fix) => (fix.side === 'router' ? { side: fix.side, lines: fix.lines, why: fix.why } : { side: fix.side, change: fix.change, why: fix.why })) } : report.verdict }, null, 2)}\n`);
  else io.stdout(`${formatCaptureReport(report, options.pcap!, explainStop, describeFix).join('\n')}\n`);
  io.setExitCode(report.verdict.kind === 'diverges' ? 1 : report.verdict.kind === 'no-client' ? 2 : 0);
}

async function configTextOf(options: DoctorCliOptions): Promise<string> {
  if (options.config === undefined) return DEFAULT_CONFIG_TEXT;
  try {
    return await readFile(options.config, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --config ${options.config}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function scenarioOf(options: DoctorCliOptions): Promise<{ scenario: DoctorScenario; source: string }> {
  if (options.client === undefined) throw new UsageError('give --client PROFILE (run that client) or --pcap FILE (judge a capture)');
  const configText = await configTextOf(options);
  const count = Number(options.clients);
  if (!/^\d+$/.test(options.clients) || count < 1 || count > 16) throw new UsageError('--clients must be a whole number from 1 to 16');
  const overrides: ProfileOverrides = {
    ...(options.ike === undefined ? {} : { ike: suiteOrUsage(parseIkeSuite(options.ike), '--ike') }),
    ...(options.esp === undefined ? {} : { esp: suiteOrUsage(parseEspSuite(options.esp), '--esp') }),
    ...(options.pfs === undefined ? {} : { pfs: pfsOrUsage(options.pfs) }),
    ...(options.pull ? { pull: true } : {}),
  };
  const preSharedKey = /^0x[0-9a-f]+$/i.test(options.psk) && options.psk.length % 2 === 0 ? Buffer.from(options.psk.slice(2), 'hex') : Buffer.from(options.psk);
  return {
    scenario: {
      configText,
      routerLines: [],
      client: { profile: options.client, inputs: { identity: { kind: 'fqdn', name: options.id }, preSharedKey, xauth: { userName: options.user, password: options.password } }, overrides, count },
    },
    source: options.config ?? 'the embedded seed config',
  };
}

function suiteOrUsage<T>(result: { ok: true; suite: T } | { ok: false; text: string }, option: string): T {
  if (!result.ok) throw new UsageError(`${option}: ${result.text}`);
  return result.suite;
}

function pfsOrUsage(text: string): NonNullable<ProfileOverrides['pfs']> {
  if (text.toLowerCase() === 'off') return 'off';
  const group = parseDhGroup(text);
  if (group === undefined) throw new UsageError('--pfs must be off or a DH group (modp768, modp1024, modp1536, modp2048)');
  return group;
}
