/**
 * Text in an exported spreadsheet or CSV that a spreadsheet could take for a formula: a cell
 * starting with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs skip
 * before looking) is evaluated when the file is opened or the cell edited, so a note reading
 * `=HYPERLINK("http://…","Click")` or `=cmd|' /C calc'!A0` would act, not show. The exporters
 * write such text with a leading apostrophe, which spreadsheets show as text; the importers take
 * exactly one apostrophe off again, so a file exported and imported gives back what was stored.
 *
 * Text that already starts with apostrophes before one of those characters gets one more, so
 * that a note which really begins `'=` comes back as `'=` too: export adds one, import removes
 * one, whatever was there before.
 */

const LOOKS_LIKE_FORMULA = /^'*[=+\-@\t\r]/;

/** `text` as an exported cell: an apostrophe in front when a spreadsheet might evaluate it. */
export function neutraliseFormula(text: string): string {
  return LOOKS_LIKE_FORMULA.test(text) ? `'${text}` : text;
}

/** An imported cell's text, with the apostrophe `neutraliseFormula` added taken off. */
export function restoreFormulaText(text: string): string {
  return text.startsWith("'") && LOOKS_LIKE_FORMULA.test(text.slice(1)) ? text.slice(1) : text;
}
