import { formatHostPort } from './host-port.js';
import type { RouterProblem } from './router.js';

/** A router problem as one line for the operator (`rtxlab: ...` on stderr, the `problem` event). */
export function describeProblem(problem: RouterProblem): string {
  const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
  switch (problem.kind) {
    case 'responder-threw':
      return `internal error in the IKE responder (${problem.during}): ${problem.error instanceof Error && problem.error.stack ? problem.error.stack : reason(problem.error)}`;
    case 'send-failed':
      return `cannot send to ${formatHostPort(problem.to.address, problem.to.port)}: ${reason(problem.error)}`;
    case 'keys-file-failed':
      return `cannot write the keys file: ${reason(problem.error)}`;
    case 'socket-error':
      return `${problem.role} socket error: ${reason(problem.error)}`;
    case 'esp-sa-rejected':
      return `tunnel ${problem.tunnelId}: the ESP layer refused the SA pair: ${reason(problem.error)}`;
    case 'capture-failed':
      return `capture: ${reason(problem.error)}`;
    case 'syslog':
      return `syslog: ${problem.message}`;
    case 'listener-threw':
      return `an event listener for '${problem.event}' threw: ${reason(problem.error)}`;
  }
}
