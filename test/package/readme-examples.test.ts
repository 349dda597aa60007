// The README's examples are files the suite runs: the test-suite example is
// examples/router-fixture.test.ts word for word, the shell harness examples/ndjson-harness.sh
// (run by test/cli/events-ndjson.test.ts); the doctor run is what `rtxlab doctor` prints today.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_TEXT } from '../../src/config/default-config.js';
import { diagnose, formatDoctorReport } from '../../src/doctor/index.js';
import { SEED_CLIENT_INPUTS } from '../../src/initiator/profiles/index.js';
import { repoRoot } from '../support/paths.js';

describe('README examples', () => {
  it('"Use rtxlab in your tests" shows examples/router-fixture.test.ts as it is', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const example = readFileSync(join(repoRoot, 'examples', 'router-fixture.test.ts'), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('"Two routers" shows examples/two-routers.test.ts as it is', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const example = readFileSync(join(repoRoot, 'examples', 'two-routers.test.ts'), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('"Why won\'t my client connect?" shows a real doctor run: the seed config without payload type 3, OpenSWAN with XAUTH and mode-cfg', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const configText = DEFAULT_CONFIG_TEXT.replace('ipsec ike payload type 1 3\n', '');
    expect(configText).not.toBe(DEFAULT_CONFIG_TEXT);
    const report = await diagnose({ configText, routerLines: [], client: { profile: 'openswan-2.6.16-xauth-mode-cfg', inputs: SEED_CLIENT_INPUTS, overrides: {}, count: 1 } });
    const printed = formatDoctorReport(report, 'rtx.conf').join('\n');
    expect(readme).toContain(`$ rtxlab doctor --config rtx.conf --client openswan-2.6.16-xauth-mode-cfg\n${printed}\n\`\`\``);
  });
});
