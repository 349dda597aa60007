import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { buildMatrixCommand } from '../../src/cli/matrix.js';

async function matrix(args: string[]) {
  let stdout = '';
  let stderr = '';
  let exitCode: number | undefined;
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => new Uint8Array(),
    setExitCode: (code) => void (exitCode = code),
  };
  await buildMatrixCommand(io).exitOverride().parseAsync(args, { from: 'user' });
  return { stdout, stderr, exitCode };
}

describe('rtxlab matrix', () => {
  it('prints each row with the seed observation, the outcome, the decisive log line and a verdict; exit 0 when they match', async () => {
    const run = await matrix(['--row', 'openswan-type-2', '--row', 'racoon']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/racoon 0\.7\.1, XAUTH, mode_cfg off[\s\S]*seed {5}connects[\s\S]*log {6}IP Tunnel\[1\] Up[\s\S]*verdict {2}MATCHES/);
    expect(run.stdout).toMatch(/log {6}\[IKE\] payload malformed : no message \(127\.0\.0\.1\)/);
    expect(run.stdout).toContain('2 of 2 rows match');
    expect(run.stderr).toContain('rtxlab matrix: racoon matches');
  });

  it('--json gives every row with its verdict, outcome, decisive line and the run itself', async () => {
    const run = await matrix(['--row', 'vpnc', '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.allMatch).toBe(true);
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({ id: 'vpnc', profile: 'vpnc-0.5', matches: true, router: { payloadType3: false } });
    expect(report.rows[0].decisiveLogLine).toContain('payload malformed');
    expect(report.rows[0].session.transcript.length).toBeGreaterThan(0);
    expect(run.exitCode).toBe(0);
  });

  it('exits 1 when a row differs from the seed', async () => {
    const run = await matrix(['--row', 'openswan-xauth-mode-cfg', '--json']);
    const report = JSON.parse(run.stdout);
    expect(run.exitCode).toBe(report.allMatch ? 0 : 1);
  });

  it('refuses a row that does not exist', async () => {
    const run = await matrix(['--row', 'nosuch']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/no matrix row nosuch/);
  });
});
