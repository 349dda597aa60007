/**
 * How many sessions one management service holds at once. Yamaha's multi-session models accept
 * up to 8 telnet (or SSH) users (rtx-config-forms.md, console details, command reference §2.1);
 * the RTX1500's own number was not found, so rtxlab uses 8 for each service (assumed). A
 * connection over the cap is closed at once, before any byte is read.
 */
export const MAX_SESSIONS_PER_SERVICE = 8;

export class SessionCap {
  private count = 0;

  constructor(readonly limit: number = MAX_SESSIONS_PER_SERVICE) {}

  /** Takes a place; undefined when all are taken. The returned function gives it back (once). */
  take(): (() => void) | undefined {
    if (this.count >= this.limit) return undefined;
    this.count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
    };
  }

  get active(): number {
    return this.count;
  }
}
