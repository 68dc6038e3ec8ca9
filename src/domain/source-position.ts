/**
 * Where something was found in a plan document, in the terms its reader would look for: a line of
 * a text or CSV file, a row of an Excel sheet or of a Word table, or a Word paragraph outside any
 * table. Every importer reports its rows this way, and every message says the place the same way.
 */
export interface SourcePosition {
  /** 1-based: the line of a text or CSV file, or the row within a sheet or Word table. */
  line?: number;
  /** The Excel sheet the row is on. */
  sheet?: string;
  /** The Word table the row is in, counted from 1 in document order. */
  table?: number;
  /** A Word paragraph outside any table, counted from 1 in document order. */
  paragraph?: number;
}

/** The position fields of a value that has them (and nothing else). */
export function positionOf(p: SourcePosition): SourcePosition {
  return {
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(p.sheet !== undefined ? { sheet: p.sheet } : {}),
    ...(p.table !== undefined ? { table: p.table } : {}),
    ...(p.paragraph !== undefined ? { paragraph: p.paragraph } : {}),
  };
}

/** The sheet or table a row is in ('' for a text or CSV file, which is one table). */
function container(p: SourcePosition): string {
  if (p.sheet !== undefined) return `sheet "${p.sheet}"`;
  if (p.table !== undefined) return `table ${p.table}`;
  return '';
}

/** "line 7", "sheet "Plan", row 7", "table 2, row 7", "paragraph 4"; '' when there is no place. */
export function describePosition(p: SourcePosition): string {
  if (p.paragraph !== undefined) return `paragraph ${p.paragraph}`;
  const where = container(p);
  if (p.line === undefined) return where;
  return where ? `${where}, row ${p.line}` : `line ${p.line}`;
}

/** Two places, said once: "lines 2 and 4", "sheet "Rec 1", rows 6 and 9", else each in full. */
export function describeTwoPositions(a: SourcePosition, b: SourcePosition): string {
  const where = container(a);
  if (a.line !== undefined && b.line !== undefined && where === container(b)) {
    return where ? `${where}, rows ${a.line} and ${b.line}` : `lines ${a.line} and ${b.line}`;
  }
  return `${describePosition(a)} and ${describePosition(b)}`;
}

/** The name of the sheet or table a row is in, for a message about it as a whole ("Table 2"). */
export function describeContainer(p: SourcePosition): string {
  const where = container(p);
  return where ? where[0]!.toUpperCase() + where.slice(1) : 'The file';
}

export const capitalise = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
