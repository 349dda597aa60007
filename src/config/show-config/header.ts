/**
 * The five `#` header lines of `show config` on Rev.8.03 (rtx-behaviour.md §5.4, a real
 * RTX1500 Rev.8.03.90): model and firmware, MAC list with a trailing ", ", memory and ports,
 * the `main:` line (two spaces after the colon), and the time of the report.
 */
import { mainBoardLine, type DeviceIdentity } from '../device-identity.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** `Oct 1 12:28:06 2008`: the router's local time (UTC + its timezone), day not padded. */
export function reportingDate(now: Date, offsetMinutes: number): string {
  const local = new Date(now.getTime() + offsetMinutes * 60_000);
  return (
    `${MONTHS[local.getUTCMonth()]} ${local.getUTCDate()} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${local.getUTCFullYear()}`
  );
}

export function showConfigHeader(device: DeviceIdentity, now: Date, offsetMinutes: number): string[] {
  return [
    `# ${device.model} ${device.revision} (${device.buildDate})`,
    `# MAC Address : ${device.macAddresses.map((mac) => `${mac}, `).join('')}`,
    `# ${device.memory}`,
    `# ${mainBoardLine(device)}`,
    `# Reporting Date: ${reportingDate(now, offsetMinutes)}`,
  ];
}
