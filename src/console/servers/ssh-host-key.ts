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

/** Reads the key at `path`, or generates one and writes it there (mode 0600, written whole). */
export function loadOrCreateHostKey(path: string): HostKey {
  try {
    return { privateKey: readFileSync(path, 'utf8'), path, generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { private: privateKey } = ssh2.utils.generateKeyPairSync('ed25519');
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, privateKey, { mode: 0o600 });
  renameSync(partial, path);
  return { privateKey, path, generated: true };
}
