/**
 * Text people typed (action text, notes, names, area names, even plan titles from an imported
 * document) must show as typed, never act as card markup. Two things could act:
 *
 * - Markdown in TextBlocks: `[x](http://evil)` shows a link whose target is hidden behind friendly
 *   words, `![i](http://x)` asks for an image. A zero-width space after every `]` and `!` breaks
 *   both (and reference-style `[x][1]` / `[1]: url`) without changing what people see. Bold and
 *   lists are left alone: they can only change how the typist's own words look.
 * - Template expressions: a value holding `${$root.secret}` is not evaluated by
 *   adaptivecards-templating today, but a card expanded twice (or a later engine) would evaluate
 *   it; a zero-width space after `$` makes it inert text, and lets tests assert that no `${`
 *   survives expansion at all (which also catches a template naming a field the data lacks).
 *
 * Angle brackets get the same treatment so `<at>…</at>` or `<http://x>` cannot become a mention
 * or an autolink, and control characters (other than tab and newline) are dropped.
 */
export function escapeCardText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/\r\n?/g, '\n')
      .replace(/\$\{/g, '$$\u200b{')
      .replace(/([\]!<])/g, '$1\u200b')
  );
}

/**
 * Escapes every string in a card's template data, deeply, except under the RAW_KEYS: those hold
 * the Action.Execute / Action.Submit data sent back to the bot (refs, plan ids, versions), which
 * must come back exactly as sent and are never shown as text.
 */
export function escapeData<T>(data: T): T {
  return escapeValue(data) as T;
}

function escapeValue(value: unknown): unknown {
  if (typeof value === 'string') return escapeCardText(value);
  if (Array.isArray(value)) return value.map(escapeValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, RAW_KEYS.has(k) ? v : escapeValue(v)]),
    );
  }
  return value;
}

/** Data keys holding a button's data (`payload` for Action.Execute, the rest for Action.Submit). */
export const RAW_KEYS: ReadonlySet<string> = new Set([
  'payload',
  'submitPayload',
  'submitPayloads',
]);
