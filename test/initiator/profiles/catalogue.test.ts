import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTunnelOptions } from '../../../src/initiator/index.js';
import { CLIENT_PROFILES, PROFILE_NAMES, SEED_CLIENT_INPUTS, isProfileName, profileNamed } from '../../../src/initiator/profiles/index.js';
import { repoRoot } from '../../support/paths.js';

const STATUSES = ['verified', 'code', 'config', 'documented', 'inferred', 'assumed', 'hypothesis'];

describe('the profile catalogue', () => {
  it('has one profile per name, under its own name', () => {
    for (const name of PROFILE_NAMES) expect(CLIENT_PROFILES[name].name).toBe(name);
    expect(profileNamed('racoon-0.7.1')).toBe(CLIENT_PROFILES['racoon-0.7.1']);
    expect(profileNamed('racoon-0.7')).toBeUndefined();
    expect(isProfileName('yms-vpn1')).toBe(true);
  });

  it.each(PROFILE_NAMES)('%s builds tunnel options the initiator accepts', (name) => {
    expect(checkTunnelOptions(CLIENT_PROFILES[name].tunnel(SEED_CLIENT_INPUTS))).toEqual([]);
  });

  it.each(PROFILE_NAMES)('%s documents each behaviour with a source and an evidence label, message 3 among them', (name) => {
    const profile = CLIENT_PROFILES[name];
    for (const behaviour of profile.behaviours) {
      expect(behaviour.source.length, `${name} ${behaviour.aspect}`).toBeGreaterThan(0);
      expect(STATUSES).toContain(behaviour.status);
    }
    for (const gap of profile.unexpressed) expect(gap.needs.length).toBeGreaterThan(0);
    const message3 = profile.behaviours.filter((behaviour) => behaviour.aspect === 'message 3');
    expect(message3).toHaveLength(1);
    expect(message3[0]!.value.startsWith(profile.tunnel(SEED_CLIENT_INPUTS).phase1.message3.encrypt ? 'encrypted' : 'in clear')).toBe(true);
  });

  it('is described in docs/matrix.md, every profile and every behaviour the initiator cannot play yet', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'matrix.md'), 'utf8');
    for (const profile of Object.values(CLIENT_PROFILES)) {
      expect(doc).toContain(`\`${profile.name}\``);
      for (const gap of profile.unexpressed) expect(doc).toContain(gap.aspect);
    }
  });
});
