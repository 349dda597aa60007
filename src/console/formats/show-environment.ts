/**
 * `show environment` and `show status boot`. Rev.8.03's own output was NOT FOUND
 * (rtx-behaviour.md §5.4: the reference lists revision, CPU, memory, firmware, config and boot
 * time). Both are assumed, laid out after later RTX models: the revision line, the `main:` line
 * (as in the boot log), load figures, the firmware and config in use, and times. rtxlab models no
 * load: CPU and memory print 0%.
 */
import { mainBoardLine, type DeviceIdentity } from '../../config/device-identity.js';
import { formatRtxTimestamp } from '../../router/log-format.js';
import type { ConsoleSettings } from '../../config/views/console.js';

export interface EnvironmentInput {
  readonly device: DeviceIdentity;
  readonly bootedAt: number | undefined;
  readonly now: number;
  readonly settings: ConsoleSettings;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `0days 00:09:00`. */
function elapsed(fromMs: number, toMs: number): string {
  const s = Math.max(0, Math.floor((toMs - fromMs) / 1000));
  return `${Math.floor(s / 86400)}days ${two(Math.floor((s % 86400) / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

export function showEnvironment(input: EnvironmentInput): string[] {
  const offset = input.settings.timezone.offsetMinutes;
  const security = input.settings.securityClass;
  const onOff = (value: boolean): string => (value ? 'ON' : 'OFF');
  const boot = input.bootedAt ?? input.now;
  return [
    `${input.device.model} ${input.device.revision} (${input.device.buildDate})`,
    `  ${mainBoardLine(input.device)}`,
    'CPU:   0%(5sec)   0%(1min)   0%(5min)    Memory:   0% used',
    'Firmware: exec0   Config. file: config0',
    `Boot time: ${formatRtxTimestamp(boot, offset)}`,
    `Current time: ${formatRtxTimestamp(input.now, offset)}`,
    `Elapsed time from boot: ${elapsed(boot, input.now)}`,
    `Security Class Level: ${security.level}, Forget: ${onOff(security.forget)}, Telnet: ${onOff(security.telnet)}`,
  ];
}

export function showStatusBoot(input: Omit<EnvironmentInput, 'settings'> & { readonly utcOffsetMinutes: number }): string[] {
  const boot = input.bootedAt ?? input.now;
  return [
    `Running: ${input.device.revision} (${input.device.buildDate})`,
    'Restart by power-on boot',
    `Boot time: ${formatRtxTimestamp(boot, input.utcOffsetMinutes)}`,
  ];
}
