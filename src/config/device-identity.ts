/**
 * The emulated unit: an RTX1500 on Rev.8.03.75, the firmware of the seed write-up (its header
 * line `# RTX1500 Rev.8.03.75 (Tue Apr 15 11:14:13 2008)`). The memory/port line and the
 * hardware `ver=d0` are those of a real RTX1500 (rtx-behaviour.md §5.4, §6); the MAC addresses
 * (Yamaha's 00:a0:de prefix) and the serial number are made up.
 */
export interface DeviceIdentity {
  readonly model: string;
  readonly revision: string;
  /** The firmware build date as the banner prints it. */
  readonly buildDate: string;
  readonly macAddresses: readonly string[];
  readonly memory: string;
  readonly hardwareVersion: string;
  readonly serial: string;
}

export const RTX1500_REV_8_03_75: DeviceIdentity = {
  model: 'RTX1500',
  revision: 'Rev.8.03.75',
  buildDate: 'Tue Apr 15 11:14:13 2008',
  macAddresses: ['00:a0:de:00:15:01', '00:a0:de:00:15:02', '00:a0:de:00:15:03'],
  memory: 'Memory 128Mbytes, 3LAN, 2BRI',
  hardwareVersion: 'd0',
  serial: 'N0X000001',
};

/**
 * `main:  <model> ver=.. serial=.. MAC-Address=..` (two spaces after the colon): the same line
 * opens the boot log and the fourth `show config` header line (rtx-behaviour.md §5.1, §5.4).
 */
export function mainBoardLine(device: DeviceIdentity): string {
  const macs = device.macAddresses.map((mac) => `MAC-Address=${mac}`).join(' ');
  return `main:  ${device.model} ver=${device.hardwareVersion} serial=${device.serial} ${macs}`;
}
