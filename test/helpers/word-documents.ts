import {
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

import { writeZip } from '../../src/documents/zip-archive.js';
import { mojPlanText } from './fixtures.js';

/**
 * Word documents made by code for the tests: the MoJ plan laid out as the shared plan shows
 * (made with the `docx` library, as Word would save it), and small packages around hand-written
 * document XML for what `docx` cannot write (merged cells, tracked changes, comments).
 */

/** The MoJ plan as its Word original has it, worked out from the copied text independently of the importer. */
export interface WordPlan {
  title: string;
  blocks: {
    heading: string;
    text: string;
    progress: string;
    header: string[];
    /** Each row's cells, each cell its paragraphs. */
    rows: string[][][];
  }[];
}

/**
 * The copied text, put back into the Word table it came from: tab-separated lines are rows; a
 * line with an empty first cell is the top of the next row's cells (Word's vertical centring put
 * it there when the table was copied), so its pieces become the first paragraphs of those cells.
 */
export function mojWordPlan(): WordPlan {
  const plan: WordPlan = { title: '', blocks: [] };
  let pending: string[][] = [];
  for (const line of mojPlanText().split(/\r?\n/)) {
    if (!line.trim()) continue;
    const block = plan.blocks[plan.blocks.length - 1];
    if (line.includes('\t')) {
      const cells = line.split('\t');
      if (cells.every((c) => /^[-\s]*$/.test(c))) continue;
      if (cells[0] === 'Ref') {
        block!.header = cells;
      } else if (!cells[0]!.trim()) {
        pending = cells.map((c, i) => [...(pending[i] ?? []), ...(c.trim() ? [c.trim()] : [])]);
      } else {
        block!.rows.push(cells.map((c, i) => [...(pending[i] ?? []), ...(c.trim() ? [c] : [])]));
        pending = [];
      }
    } else if (/^Recommendation \d+/.test(line)) {
      plan.blocks.push({ heading: line.trim(), text: '', progress: '', header: [], rows: [] });
    } else if (/^Progress update/.test(line)) {
      block!.progress = line.trim();
    } else if (!block) {
      plan.title ||= line.trim();
    } else {
      block.text = line.trim();
    }
  }
  return plan;
}

const cell = (paragraphs: readonly string[]): TableCell =>
  new TableCell({
    children: (paragraphs.length > 0 ? paragraphs : ['']).map(
      (p) => new Paragraph({ children: [new TextRun(p)] }),
    ),
  });

/** A plan laid out as the MoJ plan is: a table per recommendation, with its paragraphs before it. */
export function wordPlanDocx(plan: WordPlan = mojWordPlan()): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(plan.title)] }),
          ...plan.blocks.flatMap((b) => [
            new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(b.heading)] }),
            new Paragraph({ children: [new TextRun(b.text)] }),
            new Paragraph({ children: [new TextRun({ text: b.progress, bold: true })] }),
            new Table({
              width: { size: 100, type: WidthType.PERCENTAGE },
              rows: [
                new TableRow({ tableHeader: true, children: b.header.map((h) => cell([h])) }),
                ...b.rows.map((r) => new TableRow({ children: r.map(cell) })),
              ],
            }),
          ]),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A minimal .docx around hand-written body XML (the w: prefix is declared). */
export function docxFromBody(
  bodyXml: string,
  options: { contentType?: string; extra?: Record<string, string> } = {},
): Promise<Buffer> {
  const contentType =
    options.contentType ??
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
  const files: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      `<Override PartName="/word/document.xml" ContentType="${contentType}"/>` +
      '</Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
    'word/document.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      `<w:document xmlns:w="${W_NS}"><w:body>${bodyXml}</w:body></w:document>`,
    ...options.extra,
  };
  return writeZip(
    Object.entries(files).map(([name, text]) => ({ name, data: Buffer.from(text, 'utf8') })),
  );
}

/** Body XML helpers: a paragraph, a run, a cell, a row. */
export const p = (text: string, style?: string): string =>
  `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
export const tc = (content: string, props = ''): string =>
  `<w:tc>${props ? `<w:tcPr>${props}</w:tcPr>` : ''}${content.startsWith('<w:p') ? content : p(content)}</w:tc>`;
export const tr = (...cells: string[]): string => `<w:tr>${cells.join('')}</w:tr>`;
export const tbl = (...rows: string[]): string => `<w:tbl>${rows.join('')}</w:tbl>`;
export const HEADER_ROW = tr(
  tc('Ref'),
  tc('Action'),
  tc('Priority'),
  tc('Target date'),
  tc('Status'),
);

/**
 * The start of an OLE compound file (Office 97–2003, and every password-protected Office file):
 * its signature and one directory sector naming the given streams.
 */
export function compoundFile(...streams: string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  const directory = Buffer.alloc(512);
  ['Root Entry', ...streams].forEach((name, i) => {
    const bytes = Buffer.from(`${name}\u0000`, 'utf16le');
    bytes.copy(directory, i * 128);
    directory.writeUInt16LE(bytes.length, i * 128 + 64);
  });
  return Buffer.concat([header, directory, Buffer.alloc(1024)]);
}
