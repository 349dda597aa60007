/**
 * What the RTX prints after a successful login, before the first prompt. A telnet login to an
 * RTX1500 shows the firmware line after `Password:` ([S19], rtx-behaviour.md §5.5); the rest
 * follows the serial boot banner of a real RTX1500 Rev.8.03.90 ([S5], §5.4): Yamaha's copyright
 * line, the MAC addresses with a trailing ", ", memory and ports. Printing the boot banner's
 * lines at login, and leaving out the third-party copyright lines, are assumed.
 */
import type { DeviceIdentity } from '../config/device-identity.js';

export function loginBanner(device: DeviceIdentity): string[] {
  const year = /(\d{4})$/.exec(device.buildDate)?.[1] ?? '';
  return [
    '',
    `${device.model} ${device.revision} (${device.buildDate})`,
    `  Copyright (c) 1994-${year} Yamaha Corporation. All Rights Reserved.`,
    device.macAddresses.map((mac) => `${mac}, `).join(''),
    device.memory,
  ];
}
