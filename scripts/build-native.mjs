// Builds the native helper rtxlab needs for raw ESP (IP protocol 50) and TUN devices, which node cannot open:
// native/netio.c -> native/build/rtxlab-netio, with the system's C compiler. Without one the
// build goes on: rtxlab then logs once that raw ESP is unavailable (docs/fidelity.md).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'netio.c');
const output = join(root, 'native', 'build', 'rtxlab-netio');
mkdirSync(dirname(output), { recursive: true });
const compiler = process.env.CC ?? 'cc';
const result = spawnSync(compiler, ['-O2', '-Wall', '-o', output, source], { stdio: ['ignore', 'inherit', 'inherit'] });
if (result.error || result.status !== 0) {
  console.warn(`rtxlab: no C compiler (${compiler}): raw ESP (IP protocol 50) and --lan-tun will be unavailable; install gcc and run npm run build`);
}
