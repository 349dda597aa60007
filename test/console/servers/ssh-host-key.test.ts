import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateHostKey } from '../../../src/console/servers/ssh-host-key.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const keyPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtxlab-hostkey-'));
  dirs.push(dir);
  return join(dir, 'key');
};

describe('the SSH host key', () => {
  it('keeps only a key ssh2 can read back: an unreadable draw (ssh2 writes about 1 in 256) is drawn again', () => {
    const good = ssh2.utils.generateKeyPairSync('ed25519').private;
    const draws = ['-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n', good];
    let drawn = 0;
    const path = keyPath();
    const key = loadOrCreateHostKey(path, () => draws[drawn++]!);
    expect(drawn).toBe(2);
    expect(key).toMatchObject({ privateKey: good, generated: true });
    expect(readFileSync(path, 'utf8')).toBe(good);
    // The next start reads the same key and generates nothing.
    expect(loadOrCreateHostKey(path, () => expect.unreachable('generated again'))).toMatchObject({ privateKey: good, generated: false });
  });

  it('gives up with a clear error after 8 unreadable draws, writing nothing', () => {
    const path = keyPath();
    expect(() => loadOrCreateHostKey(path, () => 'not a key')).toThrow(/no SSH host key ssh2 can read in 8 attempts/);
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
  });
});
