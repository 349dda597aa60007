/**
 * The SSH server's host key: generated at first start (Ed25519, OpenSSH format) and kept in a file
 * so that clients see the same key on the next start (an RTX keeps its key in the config as
 * `sshd host key generate ...`; rtxlab keeps its own beside the config file instead, since the
 * RTX's stored key format is not known).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ssh2 from 'ssh2';

/** The file name beside the config file. */
export const HOST_KEY_FILE_NAME = 'rtxlab_ssh_host_ed25519_key';

export function hostKeyPathBeside(configFile: string): string {
  return join(dirname(configFile), HOST_KEY_FILE_NAME);
}

export interface HostKey {
  readonly privateKey: string;
  readonly path: string;
  /** True when this call generated it. */
  readonly generated: boolean;
}

/** A fresh Ed25519 private key in OpenSSH format. */
export type HostKeyGenerator = () => string;

const generateEd25519: HostKeyGenerator = () => ssh2.utils.generateKeyPairSync('ed25519').private;

/**
 * ssh2's generator writes about 1 key in 256 that ssh2 itself cannot read back ("Malformed
 * OpenSSH private key": it strips a public key's leading zero byte, mscdex/ssh2 issues 1390 and
 * 1513). Such a key would make this and every later start fail, so a key is kept only once ssh2
 * parses it; a few draws are enough (the chance of 8 bad ones in a row is below 1e-19).
 */
const GENERATION_ATTEMPTS = 8;

function readableKey(generate: HostKeyGenerator): string {
  for (let attempt = 0; attempt < GENERATION_ATTEMPTS; attempt++) {
    const privateKey = generate();
    if (!(ssh2.utils.parseKey(privateKey) instanceof Error)) return privateKey;
  }
  throw new Error(`no SSH host key ssh2 can read in ${GENERATION_ATTEMPTS} attempts`);
}

/** Reads the key at `path`, or generates one and writes it there (mode 0600, written whole). */
export function loadOrCreateHostKey(path: string, generate: HostKeyGenerator = generateEd25519): HostKey {
  try {
    return { privateKey: readFileSync(path, 'utf8'), path, generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const privateKey = readableKey(generate);
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, privateKey, { mode: 0o600 });
  renameSync(partial, path);
  return { privateKey, path, generated: true };
}
