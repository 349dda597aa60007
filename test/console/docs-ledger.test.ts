/**
 * docs/console.md is the ledger of the console's commands and their output sources: every
 * operational command declared appears there with its syntax, so a new command cannot go
 * undocumented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandSyntax } from '../../src/console/help-text.js';
import { OPERATIONAL_COMMANDS } from '../../src/console/operational-commands.js';
import { repoRoot } from '../support/paths.js';

const ledger = readFileSync(join(repoRoot, 'docs', 'console.md'), 'utf8').replaceAll('\\|', '|');

describe('docs/console.md', () => {
  it.each(OPERATIONAL_COMMANDS.map((c) => [commandSyntax(c)]))('lists %s', (syntax) => {
    expect(ledger).toContain(`\`${syntax}\``);
  });
});
