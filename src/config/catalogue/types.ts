/** One syntax line of Yamaha's command reference (current edition), as the catalogue keeps it. */
export interface CatalogueSyntaxLine {
  /** Reference chapter title (Japanese), e.g. `IPsec の設定`. */
  readonly chapter: string;
  /** Section number, e.g. `15.22`. */
  readonly section: string;
  /** Section title (Japanese). */
  readonly title: string;
  /** The syntax as printed (parameters in italics in the PDF, plain here). */
  readonly printed: string;
  /**
   * The syntax with parameters marked `<name>` and optional parts in `[...]`, after the
   * generator's repairs (see docs/catalogue.md): keywords are bare, `a=<b>` tokens are joined.
   */
  readonly syntax: string;
  /** The derived command-name pattern (`ip * address`, `nat descriptor type`). */
  readonly name: string;
  /** The models the current reference lists (not evidence about RTX1500, see docs/catalogue.md). */
  readonly models: string;
}
