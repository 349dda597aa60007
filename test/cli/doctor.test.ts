/**
 * `rtxlab doctor` on the command line: human text by default, JSON for CI, exit 0 only when the
 * client connects as configured (or, with --accept-fix, once the fixes are applied), 2 for usage.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDoctorCommand } from '../../src/cli/doctor.js';
import type { CliIo } from '../../src/cli/io.js';
import { seedRouterConfig } from '../../src/matrix/router-configs.js';

async function doctor(args: string[]) {
  let stdout = '';
  let stderr = '';
  let exitCode: number | undefined;
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), readStdin: async () => new Uint8Array(), setExitCode: (code) => void (exitCode = code) };
  await buildDoctorCommand(io).exitOverride().parseAsync(args, { from: 'user' });
  return { stdout, stderr, exitCode };
}

describe.concurrent('rtxlab doctor (CLI)', () => {
  it('a client that connects as configured: exit 0', async () => {
    const run = await doctor(['--client', 'yms-vpn1']);
    expect(run.stdout).toMatch(/verdict {2}connects as configured/);
    expect(run.exitCode).toBe(0);
  });

  it('strongSwan pull = yes: names the step and the client fix, exit 1; with --accept-fix --json, exit 0', async () => {
    const plain = await doctor(['--client', 'strongswan-5.9', '--pull']);
    expect(plain.stdout).toMatch(/1\. stops at mode-cfg/);
    expect(plain.stdout).toMatch(/fix {6}on the client: pull = no/);
    expect(plain.exitCode).toBe(1);
    const accepted = await doctor(['--client', 'strongswan-5.9', '--pull', '--accept-fix', '--json']);
    const report = JSON.parse(accepted.stdout) as { connectsAsConfigured: boolean; acceptedFixesConnect: boolean; fixes: { side: string }[] };
    expect(report).toMatchObject({ connectsAsConfigured: false, acceptedFixesConnect: true, fixes: [{ side: 'client' }] });
    expect(accepted.exitCode).toBe(0);
  });

  it('reads --config FILE; a wrong key never shows either key in the JSON', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'rtxlab-doctor-'));
    const file = join(directory, 'rtx.conf');
    await writeFile(file, seedRouterConfig({ payloadType3: true }));
    const run = await doctor(['--config', file, '--client', 'strongswan-5.9', '--psk', 'client-secret', '--json']);
    expect(run.stdout).not.toMatch(/client-secret|PSKEY1/);
    expect(JSON.parse(run.stdout).steps[0].stage).toBe('phase 1');
    expect(run.exitCode).toBe(1);
  });

  it('usage problems exit 2 with one sentence', async () => {
    const missing = await doctor(['--client', 'yms-vpn1', '--config', '/nonexistent/rtx.conf']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/cannot read --config/);
    expect((await doctor(['--client', 'yms-vpn1', '--clients', '0'])).exitCode).toBe(2);
    const neither = await doctor([]);
    expect(neither.exitCode).toBe(2);
    expect(neither.stderr).toMatch(/--client PROFILE .* or --pcap FILE/);
  });

  it('--pcap of a file that is not a libpcap capture: exit 2, saying why', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'rtxlab-doctor-'));
    const file = join(directory, 'not.pcap');
    await writeFile(file, 'hello, this is text and not a capture');
    const run = await doctor(['--pcap', file]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/not a libpcap file/);
  });
});
