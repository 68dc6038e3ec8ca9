/**
 * Action refs: "1.1", "4.9a". A ref names its recommendation (the number before the dot).
 * Refs compare naturally: 1.2 < 1.10, 4.9 < 4.9a < 4.9b < 4.10.
 */
const REF = /^(\d{1,3})\.(\d{1,3})([a-z]?)$/;

/** Canonical form of a ref as a user or a file may write it ("4.9A", " 4.9a "), or undefined. */
export function normaliseRef(text: string): string | undefined {
  const t = text
    .replace(/[\u00a0\s]/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  const m = REF.exec(t);
  if (!m) return undefined;
  return `${Number(m[1])}.${Number(m[2])}${m[3]}`;
}

export const isRef = (text: string): boolean => normaliseRef(text) !== undefined;

/** The recommendation number a ref belongs to: "4.9a" → "4". */
export const recommendationOf = (ref: string): string => ref.split('.')[0] ?? ref;

export function compareRefs(a: string, b: string): number {
  const ma = REF.exec(a);
  const mb = REF.exec(b);
  if (!ma || !mb) return a.localeCompare(b);
  return (
    Number(ma[1]) - Number(mb[1]) ||
    Number(ma[2]) - Number(mb[2]) ||
    (ma[3] ?? '').localeCompare(mb[3] ?? '')
  );
}
