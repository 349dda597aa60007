// The README's examples are files the suite runs: the test-suite example is
// examples/router-fixture.test.ts word for word, the shell harness examples/ndjson-harness.sh
// (run by test/cli/events-ndjson.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
