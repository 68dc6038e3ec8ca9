import { SaxesParser, type SaxesTagNS } from 'saxes';

import type { ImportIssue } from '../domain/parsed-plan.js';
import type { SourceRow } from './plan-table-reader.js';

/**
 * The body of a Word document (word/document.xml, WordprocessingML) as rows for the plan reader:
 * each paragraph outside a table is a one-cell row, each table row a row of cells on the table's
 * grid. Read in document order with saxes, a streaming XML parser, so nothing is held but the row
 * being read.
 *
 * - A cell's paragraphs and line breaks become lines of its text ("30 Sept" / "2016").
 * - A cell merged across columns (w:gridSpan) gives its text to its first column and blanks to the
 *   rest; w:gridBefore skips columns; a cell merged down (w:vMerge) repeats the text of the cell
 *   that starts the merge, as the reader sees it on the page.
 * - Tracked changes: inserted text (w:ins, w:moveTo) is kept, deleted text (w:del, w:moveFrom)
 *   and rows whose deletion is tracked are dropped, as the document reads once they are accepted.
 * - Comments live in another part and are not read; drawings and text boxes are not plan text.
 * - A table inside a table cell is reported: the plan's rows cannot be told from the inner ones.
 */

const W = new Set([
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
]);

/** Elements whose content is not the document's text: dropped with everything inside them. */
const SKIPPED = new Set(['del', 'moveFrom', 'drawing', 'pict', 'object', 'instrText', 'delText']);
const MARKUP_COMPATIBILITY = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

export interface WordBody {
  readonly rows: SourceRow[];
  readonly tables: number;
  readonly problems: ImportIssue[];
}

export interface WordBodyOptions {
  /** Style ids of titles and headings (from word/styles.xml), for the plan's title. */
  readonly headingStyles: ReadonlySet<string>;
}

interface CellState {
  paragraphs: string[];
  span: number;
  vMerge: 'none' | 'restart' | 'continue';
}

interface RowState {
  cells: string[];
  column: number;
  deleted: boolean;
}

/** Reads the body of word/document.xml; throws on XML that is not well formed. */
export function readWordBody(xml: string, options: WordBodyOptions): WordBody {
  const rows: SourceRow[] = [];
  const problems: ImportIssue[] = [];
  const parser = new SaxesParser({ xmlns: true, position: false });

  const stack: string[] = [];
  let skipDepth = 0;
  let tableDepth = 0;
  let nestedReported = false;
  let tableNumber = 0;
  let rowNumber = 0;
  let paragraphNumber = 0;
  let vMerged = new Map<number, string>();
  let row: RowState | undefined;
  let cell: CellState | undefined;
  let paragraph: { text: string; style?: string; outline: boolean } | undefined;
  let inText = false;

  const parent = (): string => stack[stack.length - 2] ?? '';
  const attribute = (tag: SaxesTagNS, local: string): string | undefined => {
    for (const a of Object.values(tag.attributes)) {
      if (a.local === local && W.has(a.uri)) return a.value;
    }
    return undefined;
  };
  const append = (s: string): void => {
    if (paragraph) paragraph.text += s;
  };

  parser.on('doctype', () => {
    throw new Error('a document type declaration, which Word never writes');
  });
  parser.on('opentag', (tag) => {
    const local = W.has(tag.uri) ? tag.local : `{${tag.uri}}${tag.local}`;
    stack.push(local);
    if (skipDepth > 0) {
      skipDepth++;
      return;
    }
    if (tag.uri === MARKUP_COMPATIBILITY && tag.local === 'AlternateContent') {
      skipDepth = 1; // a drawing or text box with its fallback: not plan text
      return;
    }
    if (!W.has(tag.uri)) return;
    if (SKIPPED.has(local)) {
      if (local === 'del' && parent() === 'trPr' && row) row.deleted = true;
      if (!tag.isSelfClosing) skipDepth = 1;
      else stack.pop();
      return;
    }
    switch (local) {
      case 'tbl':
        tableDepth++;
        if (tableDepth === 1) {
          tableNumber++;
          rowNumber = 0;
          vMerged = new Map();
        } else if (!nestedReported) {
          nestedReported = true;
          problems.push({
            table: tableNumber,
            line: rowNumber,
            message: `A cell in column ${(row?.column ?? 0) + 1} holds a table of its own. The plan is read from plain tables: move the inner table's rows into the plan's table, or out of it.`,
          });
        }
        return;
      case 'tr':
        if (tableDepth === 1) {
          rowNumber++;
          row = { cells: [], column: 0, deleted: false };
        }
        return;
      case 'gridBefore':
        if (tableDepth === 1 && row) row.column += Number(attribute(tag, 'val') ?? 0) || 0;
        return;
      case 'tc':
        if (tableDepth === 1) cell = { paragraphs: [], span: 1, vMerge: 'none' };
        return;
      case 'gridSpan':
        if (tableDepth === 1 && cell) cell.span = Math.max(1, Number(attribute(tag, 'val')) || 1);
        return;
      case 'vMerge':
        if (tableDepth === 1 && cell) {
          cell.vMerge = attribute(tag, 'val') === 'restart' ? 'restart' : 'continue';
        }
        return;
      case 'p':
        if (tableDepth <= 1) paragraph = { text: '', outline: false };
        return;
      case 'pStyle':
        if (paragraph && parent() === 'pPr') {
          const style = attribute(tag, 'val');
          if (style !== undefined) paragraph.style = style;
        }
        return;
      case 'outlineLvl':
        if (paragraph && parent() === 'pPr') paragraph.outline = true;
        return;
      case 't':
        inText = true;
        return;
      case 'tab':
        if (parent() === 'r') append('\t');
        return;
      case 'br':
      case 'cr':
        if (parent() === 'r') append('\n');
        return;
      case 'noBreakHyphen':
        append('-');
        return;
    }
  });
  parser.on('text', (text) => {
    if (inText && skipDepth === 0) append(text);
  });
  parser.on('cdata', (text) => {
    if (inText && skipDepth === 0) append(text);
  });
  parser.on('closetag', (tag) => {
    const local = stack.pop() ?? '';
    if (skipDepth > 0) {
      skipDepth--;
      return;
    }
    if (!W.has(tag.uri)) return;
    switch (local) {
      case 't':
        inText = false;
        return;
      case 'p':
        if (!paragraph) return;
        if (tableDepth === 0) {
          const text = paragraph.text;
          if (text.trim()) {
            paragraphNumber++;
            const heading =
              paragraph.outline ||
              (paragraph.style !== undefined && options.headingStyles.has(paragraph.style));
            rows.push({
              cells: [text],
              at: { paragraph: paragraphNumber },
              paragraph: true,
              ...(heading ? { heading } : {}),
            });
          }
        } else if (tableDepth === 1 && cell) {
          cell.paragraphs.push(paragraph.text);
        }
        paragraph = undefined;
        return;
      case 'tc': {
        if (tableDepth !== 1 || !cell || !row) return;
        const start = row.column;
        let text = cell.paragraphs.join('\n');
        if (cell.vMerge === 'continue') text = vMerged.get(start) ?? '';
        else if (cell.vMerge === 'restart') vMerged.set(start, text);
        else vMerged.delete(start);
        row.cells[start] = text;
        for (let i = 1; i < cell.span; i++) row.cells[start + i] = '';
        row.column += cell.span;
        cell = undefined;
        return;
      }
      case 'tr':
        if (tableDepth !== 1 || !row) return;
        if (!row.deleted) {
          rows.push({
            cells: Array.from(row.cells, (c) => c ?? ''),
            at: { table: tableNumber, line: rowNumber },
          });
        }
        row = undefined;
        return;
      case 'tbl':
        tableDepth--;
        return;
    }
  });
  parser.write(xml).close();
  return { rows, tables: tableNumber, problems };
}

/**
 * The ids of the styles that make a paragraph a title or heading, from word/styles.xml: those
 * named "Title" or "heading 1" … "heading 9" (Word's own names, whatever the language of the
 * interface), and the built-in ids when there is no styles part.
 */
export function headingStyleIds(stylesXml: string | undefined): Set<string> {
  const ids = new Set(['Title', ...Array.from({ length: 9 }, (_, i) => `Heading${i + 1}`)]);
  if (!stylesXml) return ids;
  const parser = new SaxesParser({ xmlns: true, position: false });
  let styleId: string | undefined;
  parser.on('doctype', () => {
    throw new Error('a document type declaration, which Word never writes');
  });
  parser.on('opentag', (tag) => {
    if (!W.has(tag.uri)) return;
    const val = (local: string): string | undefined =>
      Object.values(tag.attributes).find((a) => a.local === local && W.has(a.uri))?.value;
    if (tag.local === 'style') styleId = val('styleId');
    else if (tag.local === 'name' && styleId) {
      const name = (val('val') ?? '').toLowerCase();
      if (name === 'title' || /^heading [1-9]$/.test(name)) ids.add(styleId);
    }
  });
  parser.on('closetag', (tag) => {
    if (W.has(tag.uri) && tag.local === 'style') styleId = undefined;
  });
  parser.write(stylesXml).close();
  return ids;
}
