import { describe, expect, it } from 'vitest';
import { RTX1500_REV_8_03_75 } from '../../src/config/device-identity.js';
import { bootLogMessages } from '../../src/router/boot-banner.js';

describe('boot log lines', () => {
  it('announce the power-on, the firmware and the unit, oldest first, as an RTX does', () => {
    expect(bootLogMessages({ ...RTX1500_REV_8_03_75, serial: 'N0Y011661', macAddresses: ['00:a0:de:35:9c:7f', '00:a0:de:35:9c:80'] })).toEqual([
      'Power-on boot',
      'RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008) starts',
      'main:  RTX1500 ver=d0 serial=N0Y011661 MAC-Address=00:a0:de:35:9c:7f MAC-Address=00:a0:de:35:9c:80',
    ]);
  });
});
