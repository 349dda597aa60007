/** Limits of the router's command line, shared by the reader and the session. */

/** Command reference §1.5: at most 4,095 half-width characters per command. */
export const MAX_COMMAND_LENGTH = 4095;
