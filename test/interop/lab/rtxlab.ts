import { fileURLToPath } from 'node:url';

/** The `rtxlab` command of this checkout (needs `npm run build`: it runs dist/). */
export const RTXLAB_BIN = fileURLToPath(new URL('../../../bin/rtxlab.js', import.meta.url));

/**
 * argv that runs `rtxlab ARGS` with this node and the OpenSSL legacy provider already on (so
 * bin/rtxlab.js does not re-spawn itself), for NetNamespace.spawn, e.g.
 * lab.router.spawn(rtxlabArgv(['start', '--bind', lab.router.address])).
 */
export function rtxlabArgv(args: readonly string[]): string[] {
  return [process.execPath, '--openssl-legacy-provider', RTXLAB_BIN, ...args];
}
