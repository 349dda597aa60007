/**
 * `no` lines the RTX writes into its own saved configs. They are settings, not removals: the
 * router prints them (rtx-config-forms.md S4, a TFTP-fetched RTX1100 `config0`, and S5, an
 * RTX1200 `show config`: `no tunnel enable all` before the tunnel blocks), so rtxlab keeps them
 * in the model and `show config` prints them where the router does. Every other `no` line
 * removes its setting (command reference §1.4).
 */
const STORED_NEGATIONS: readonly (readonly string[])[] = [['tunnel', 'enable', 'all']];

/** Is `no <words>` one of the negations the router keeps as a line? */
export function isStoredNegation(words: readonly string[]): boolean {
  return STORED_NEGATIONS.some(
    (negation) => negation.length === words.length && negation.every((word, i) => word === words[i]!.toLowerCase()),
  );
}
