/**
 * When two names are the same business area. People write "MoJ HQ", "moj hq", "MoJ-HQ" and
 * "MOJ HQ." for one area, in chat, on the command line and in plan documents; the bot must never
 * make two areas of them, nor miss a champion because their area was spelt another way. So one
 * rule, used by every comparison and by the storage key: case, spaces and punctuation do not
 * count (compatibility forms are folded first, so a full-width "ＨＱ" is "hq" too). Letters and
 * digits of every script count, so "Área Norte" and "Area Norte" stay two areas.
 */

/** The part of an area's name that identifies it: "MoJ-HQ" → "mojhq". */
export const areaKey = (name: string): string =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** Whether two area names name the same area; an absent name is no area, not the same as any. */
export const sameArea = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && areaKey(a) === areaKey(b);

/** The first of `items` whose name is the same area as `name`. */
export function findArea<T>(
  items: readonly T[],
  name: string,
  nameOf: (item: T) => string,
): T | undefined {
  const wanted = areaKey(name);
  return items.find((item) => areaKey(nameOf(item)) === wanted);
}

/** A name can be an area only with a letter or digit in it: "---" would be the same as "". */
export const hasAreaKey = (name: string): boolean => areaKey(name) !== '';
