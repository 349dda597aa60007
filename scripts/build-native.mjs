// Builds the native helper rtxlab needs for raw ESP (IP protocol 50), which node cannot send:
// native/rawesp.c -> native/build/rtxlab-rawesp, with the system's C compiler. Without one the
// build goes on: rtxlab then logs once that raw ESP is unavailable (docs/fidelity.md).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'rawesp.c');
const output = join(root, 'native', 'build', 'rtxlab-rawesp');
mkdirSync(dirname(output), { recursive: true });
const compiler = process.env.CC ?? 'cc';
const result = spawnSync(compiler, ['-O2', '-Wall', '-o', output, source], { stdio: ['ignore', 'inherit', 'inherit'] });
if (result.error || result.status !== 0) {
  console.warn(`rtxlab: no C compiler (${compiler}): raw ESP (IP protocol 50) will be unavailable; install gcc and run npm run build`);
}
