// The package face users get: `npm pack`, installed into a project of its own, imported as
// `rtxlab` (ESM) with its type declarations checked by tsc, and run: a router from config text,
// the bundled client, `tunnel-up`, stop.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/built-cli.js';
import { repoRoot } from '../support/paths.js';

const project = mkdtempSync(join(tmpdir(), 'rtxlab-package-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function run(command: string, args: readonly string[], cwd: string, timeout = 240_000) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  ensureBuilt();
  // dist/ is built: pack it as it is (prepare would build it again).
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', project], repoRoot);
  const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'))!;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'rtxlab-user', private: true, type: 'module' }));
  run('npm', ['install', '--prefer-offline', '--no-package-lock', `./${tarball}`], project);
}, 300_000);

describe('the npm package', () => {
  it('imports as `rtxlab` with type declarations that tsc checks', () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { startRtxRouter, connectClient, type RouterEvent, type RtxRouter } from 'rtxlab';
const router: RtxRouter = await startRtxRouter({ config: { text: 'ip lan1 address 10.1.1.1/24' }, ikePort: 0, nattPort: 0 });
const event: RouterEvent = await router.waitFor('listening', () => true, 10).catch(() => ({ type: 'stopped' as const }));
// @ts-expect-error: events are a typed union, a misspelt one does not compile
router.on('tunnel-upp', () => {});
void connectClient; void event;
await router.stop();
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(repoRoot, 'node_modules', '@types')] },
        files: ['use.ts'],
      }),
    );
    run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project);
  }, 180_000); // tsc over the whole declaration tree: seconds alone, a minute on a busy machine

  it('runs: a router from config text, the bundled client connects, tunnel-up arrives, both stop', () => {
    writeFileSync(
      join(project, 'run.mjs'),
      `import { startRtxRouter, connectClient, DEFAULT_CONFIG_TEXT } from 'rtxlab';
const router = await startRtxRouter({ config: { text: DEFAULT_CONFIG_TEXT }, ikePort: 0, nattPort: 0 });
const up = router.waitFor('tunnel-up');
const client = await connectClient({ gateway: router.listening });
const event = await up;
console.log(JSON.stringify({ outcome: client.outcome, address: event.sa.internalAddress }));
await client.tunnel?.close();
await router.stop();
`,
    );
    const output = run(process.execPath, ['run.mjs'], project, 60_000);
    expect(JSON.parse(output.trim())).toEqual({ outcome: 'established', address: '10.1.1.110' });
  }, 90_000);
});
