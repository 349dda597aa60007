/** SYSLOG settings with the reference defaults (§4.25-4.35). */
import { syslogParams, type SyslogFacility } from '../families/syslog.js';
import type { ConfigModel } from '../model.js';

export interface SyslogSettings {
  readonly hosts: readonly string[];
  /** `user` by default. */
  readonly facility: SyslogFacility;
  /** Packet information from filters etc.: off by default. */
  readonly notice: boolean;
  /** On by default (off still keeps INFO lines in the router's own log). */
  readonly info: boolean;
  /** Off by default; IKE debug lines (`ipsec ike log`) need it. */
  readonly debug: boolean;
  readonly localAddress?: string;
  readonly sourcePort: number;
  readonly executeCommand: boolean;
}

export function syslogSettings(model: ConfigModel): SyslogSettings {
  const get = <N extends Parameters<typeof syslogParams>[1]>(name: N) => {
    const command = model.byName(name)[0];
    return command === undefined ? undefined : syslogParams(command, name);
  };
  const localAddress = get('syslog local address')?.address;
  return {
    hosts: get('syslog host')?.hosts ?? [],
    facility: get('syslog facility')?.facility ?? 'user',
    notice: get('syslog notice')?.enabled ?? false,
    info: get('syslog info')?.enabled ?? true,
    debug: get('syslog debug')?.enabled ?? false,
    ...(localAddress === undefined ? {} : { localAddress }),
    sourcePort: get('syslog srcport')?.port ?? 514,
    executeCommand: get('syslog execute command')?.enabled ?? false,
  };
}
