/**
 * `rtxlab connect` says when it will give up as it really will, and its verdict names the
 * decisive cause: a closed port answers every send with ICMP port unreachable.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { buildConnectCommand, giveUpText } from '../../src/cli/connect.js';
import type { CliIo } from '../../src/cli/io.js';
import { CLIENT_PROFILES, SEED_CLIENT_INPUTS, profileTunnel } from '../../src/initiator/profiles/index.js';

/** A UDP port on 127.0.0.1 that was just free: bound, read, closed. */
async function closedPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

describe('rtxlab connect: give-up time and decisive cause', () => {
  it('announces the time it gives up when message 1 goes unanswered, not only the bound on a whole session', () => {
    const built = profileTunnel(CLIENT_PROFILES['yms-vpn1'], SEED_CLIENT_INPUTS);
    if (!built.ok) throw new Error(built.text);
    const text = giveUpText(built.options, undefined);
    const [unanswered, whole] = [...text.matchAll(/(\d+) s\b/g)].map((match) => Number(match[1]));
    expect(unanswered).toBe(15); // 1 + 2 + 4 + 8 s: the four sends of message 1 (DEFAULT_PHASE1_TIMING)
    expect(whole).toBeGreaterThan(unanswered!);
    expect(giveUpText(built.options, 3000)).toMatch(/after 3 s when message 1 goes unanswered .* after 3 s at most in all \(--timeout\)/);
  });

  it('against a closed port: exit status 1 and "port unreachable" in the verdict', async () => {
    let stdout = '';
    let exitCode: number | undefined;
    const io: CliIo = { stdout: (text) => void (stdout += text), stderr: () => {}, readStdin: async () => new Uint8Array(), setExitCode: (code) => void (exitCode = code) };
    const port = await closedPort();
    await buildConnectCommand(io).exitOverride().parseAsync([`127.0.0.1:${port}`, '--natt-port', String(port), '--timeout', '2'], { from: 'user' });
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/gives up after 2 s/);
    expect(stdout.split('\n').find((line) => line.startsWith('FAILED'))).toMatch(/port unreachable/);
  });
});
