import { mainBoardLine, type DeviceIdentity } from '../config/device-identity.js';

/**
 * The lines an RTX logs when it boots, oldest first, all with the same timestamp (real RTX1100
 * Rev.8.03.92 `show log`, rtx-behaviour.md §5.1: `Power-on boot`, `<model> <revision> (<build
 * date>) starts`, then `main:  <model> ver=.. serial=.. MAC-Address=..` with two spaces after the
 * colon, as in the `show config` header).
 */
export function bootLogMessages(device: DeviceIdentity): string[] {
  return ['Power-on boot', `${device.model} ${device.revision} (${device.buildDate}) starts`, mainBoardLine(device)];
}
