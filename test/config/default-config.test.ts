/**
 * The embedded default config is the seed's config with exactly two documented changes
 * (issue 2 §6): the masked key filled in from the write-up's psk.txt, and NAT-T switched on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_CHANGES, DEFAULT_CONFIG_TEXT, readDefaultConfig } from '../../src/config/default-config.js';
import { repoRoot } from '../support/paths.js';

const seed = readFileSync(join(repoRoot, 'test', 'config', 'fixtures', 'seed-rtx1500.conf'), 'utf8');

describe('the embedded default config', () => {
  it('differs from the seed by the two documented lines only', () => {
    const seedLines = seed.trimEnd().split('\n');
    const embedded = DEFAULT_CONFIG_TEXT.trimEnd().split('\n');
    expect(seedLines.filter((l) => !embedded.includes(l))).toEqual([DEFAULT_CONFIG_CHANGES.replaced.seed]);
    expect(embedded.filter((l) => !seedLines.includes(l)).sort()).toEqual([DEFAULT_CONFIG_CHANGES.replaced.embedded, DEFAULT_CONFIG_CHANGES.added].sort());
    const withoutAdded = embedded.filter((l) => l !== DEFAULT_CONFIG_CHANGES.added);
    expect(withoutAdded.map((l) => (l === DEFAULT_CONFIG_CHANGES.replaced.embedded ? DEFAULT_CONFIG_CHANGES.replaced.seed : l))).toEqual(seedLines);
  });

  it('is accepted without errors or warnings', () => {
    const result = readDefaultConfig();
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.model.size).toBe(33);
  });

  it('carries the pre-shared key PSKEY1 in clear and NAT traversal on', () => {
    const model = readDefaultConfig().model;
    expect(model.byName('ipsec ike pre-shared-key')[0]!.params).toEqual({ gateway: 1, key: { kind: 'text', text: 'PSKEY1' } });
    expect(model.byName('ipsec ike nat-traversal')[0]!.params).toEqual({ gateway: 1, enabled: true, options: {} });
  });
});
