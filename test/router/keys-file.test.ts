import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDecryptionTableLine, KeysFile } from '../../src/router/keys-file.js';
import { capturesDir } from '../support/paths.js';

const fixture = JSON.parse(readFileSync(join(capturesDir, 'strongswan-push', 'keys.json'), 'utf8')) as {
  ike_sas: { initiator_cookie: string; ka: string }[];
};
const sa = fixture.ike_sas[0]!;
const cookie = Buffer.from(sa.initiator_cookie, 'hex');
const ka = Buffer.from(sa.ka, 'hex');

describe('ikev1_decryption_table records', () => {
  it('match the table that decrypts the strongSwan capture: bare hex cookie, comma, bare hex key', () => {
    const table = readFileSync(join(capturesDir, 'strongswan-push', 'ikev1_decryption_table'), 'utf8');
    expect(`${formatDecryptionTableLine(cookie, ka)}\n`).toBe(table);
  });

  it('refuse a cookie that is not 8 bytes (Wireshark would) and an empty key', () => {
    expect(() => formatDecryptionTableLine(Buffer.alloc(7), ka)).toThrow(/8 bytes/);
    expect(() => formatDecryptionTableLine(cookie, Buffer.alloc(0))).toThrow(/empty/);
  });
});

describe('KeysFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rtxlab-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a missing file, readable by its owner only, and appends one line per IKE SA', () => {
    const path = join(dir, 'ikev1_decryption_table');
    const keys = KeysFile.open(path);
    keys.append(cookie, ka);
    keys.append(Buffer.from('0011223344556677', 'hex'), Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
    keys.close();
    expect(readFileSync(path, 'utf8')).toBe(
      '3f4efdfbaf6a702d,f9396f7ee670873b69dd3fa3e9b071fcdb34f51d59f1175c\n0011223344556677,00112233445566778899aabbccddeeff\n',
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('appends to an existing file without touching what is there', () => {
    const path = join(dir, 'table');
    writeFileSync(path, 'aaaaaaaaaaaaaaaa,bbbb\n');
    const keys = KeysFile.open(path);
    keys.append(cookie, ka);
    keys.close();
    expect(readFileSync(path, 'utf8')).toBe(`aaaaaaaaaaaaaaaa,bbbb\n${sa.initiator_cookie},${sa.ka}\n`);
  });

  it('lets two writers share a file without mixing their lines', () => {
    const path = join(dir, 'shared');
    const first = KeysFile.open(path);
    const second = KeysFile.open(path);
    for (let i = 0; i < 50; i++) {
      first.append(Buffer.alloc(8, 1), Buffer.alloc(24, 0xaa));
      second.append(Buffer.alloc(8, 2), Buffer.alloc(16, 0xbb));
    }
    first.close();
    second.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(100);
    for (const line of lines) expect(line).toMatch(/^(0101010101010101,(aa){24}|0202020202020202,(bb){16})$/);
  });

  it('fails to open when the folder does not exist', () => {
    expect(() => KeysFile.open(join(dir, 'missing', 'table'))).toThrow(/ENOENT/);
  });

  it('refuses to write after close', () => {
    const keys = KeysFile.open(join(dir, 'closed'));
    keys.close();
    expect(() => keys.append(cookie, ka)).toThrow(/closed/);
  });
});
