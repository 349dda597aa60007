import type { LogLevel } from '../ike-responder/port.js';

/**
 * The config's `syslog info|notice|debug on|off` switches, as a plain object so the router does
 * not depend on the config engine's model.
 */
export interface SyslogSwitches {
  readonly info: boolean;
  readonly notice: boolean;
  readonly debug: boolean;
}

/**
 * Factory values from the current Yamaha command reference (§4.29 `syslog notice` off, §4.30
 * `syslog info` on, §4.31 `syslog debug` off). RTX1500 Rev.8.03's own values were not found:
 * assumed the same.
 */
export const RTX_DEFAULT_SYSLOG: SyslogSwitches = { info: true, notice: false, debug: false };

/**
 * Whether a line is kept in the router's memory (`show log`). §4.30: INFO lines are kept whatever
 * `syslog info` says (the switch only governs sending them to a syslog host); NOTICE and DEBUG
 * lines exist only while their switch is on.
 */
export function isKeptInMemory(level: LogLevel, settings: SyslogSwitches): boolean {
  return level === 'info' || settings[level];
}

/**
 * Whether a line goes out to a syslog host. rtxlab's stdout plays that part, so it follows the
 * same rule: every level only while its switch is on.
 */
export function isSentOut(level: LogLevel, settings: SyslogSwitches): boolean {
  return settings[level];
}
