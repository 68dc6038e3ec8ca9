import {
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import {
  type ProgressReport,
  type ProgressReportRecommendation,
  type ProgressReportRow,
  generatedLine,
  xmlSafe,
} from './progress-report.js';

/** A4 in twips (twentieths of a point), laid landscape; 2 cm margins. */
const A4_SHORT = 11906;
const A4_LONG = 16838;
const MARGIN = 1134;
const TABLE_WIDTH = A4_LONG - 2 * MARGIN;

/** The plan's own table, with the latest note added. Widths in twips; they add up to the page. */
const COLUMNS: readonly {
  heading: string;
  width: number;
  cell: (r: ProgressReportRow) => string;
}[] = [
  { heading: 'Ref', width: 800, cell: (r) => r.ref },
  { heading: 'Action', width: 5200, cell: (r) => r.text },
  { heading: 'Priority', width: 1100, cell: (r) => r.priorityLabel },
  { heading: 'Target completion date', width: 2100, cell: (r) => r.target },
  { heading: 'Status', width: 1300, cell: (r) => r.statusLabel },
  { heading: 'Latest note', width: TABLE_WIDTH - 10500, cell: (r) => r.note },
];

const FONT = 'Arial';
const HEADER_SHADING = 'D9D9D9';
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;

/**
 * The progress update as a Word document laid out like the plan itself: the title, then for each
 * recommendation "Recommendation N", its text, "Progress update – <label>" and its table of
 * actions. The header row repeats on every page a table runs onto.
 */
export async function exportDocx(
  report: ProgressReport,
  onRow: (done: number) => void = () => undefined,
): Promise<Buffer> {
  let done = 0;
  const row = (r: ProgressReportRow): TableRow => {
    const laidOut = actionRow(r);
    onRow(++done);
    return laidOut;
  };
  const doc = new Document({
    title: `${report.title} – Progress update – ${report.label}`,
    creator: 'Action plan bot',
    styles: {
      default: {
        document: { run: { font: FONT, size: 20 } },
        heading1: { run: { font: FONT, size: 32, bold: true, color: '000000' } },
        heading2: {
          run: { font: FONT, size: 26, bold: true, color: '000000' },
          paragraph: { spacing: { before: 360, after: 120 } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4_SHORT, height: A4_LONG, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
          },
        },
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(report.title)] }),
          new Paragraph({
            children: [run(generatedLine(report))],
            spacing: { after: 240 },
          }),
          ...report.recommendations.flatMap((r) => recommendationBlock(r, report.label, row)),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function recommendationBlock(
  rec: ProgressReportRecommendation,
  label: string,
  layRow: (row: ProgressReportRow) => TableRow,
): (Paragraph | Table)[] {
  const blocks: (Paragraph | Table)[] = [
    new Paragraph({
      heading: HeadingLevel.HEADING_2,
      keepNext: true,
      children: [run(`Recommendation ${rec.number}`)],
    }),
  ];
  if (rec.text) {
    blocks.push(
      new Paragraph({ keepNext: true, spacing: { after: 120 }, children: [run(rec.text)] }),
    );
  }
  blocks.push(
    new Paragraph({
      keepNext: true,
      spacing: { after: 120 },
      children: [run(`Progress update – ${label}`, { bold: true })],
    }),
  );
  if (rec.rows.length === 0) {
    blocks.push(new Paragraph({ children: [run('No actions.', { italics: true })] }));
    return blocks;
  }
  blocks.push(
    new Table({
      width: { size: TABLE_WIDTH, type: WidthType.DXA },
      columnWidths: COLUMNS.map((c) => c.width),
      layout: TableLayoutType.FIXED,
      margins: { top: 40, bottom: 40, left: 100, right: 100 },
      borders: {
        top: BORDER,
        bottom: BORDER,
        left: BORDER,
        right: BORDER,
        insideHorizontal: BORDER,
        insideVertical: BORDER,
      },
      rows: [headerRow(), ...rec.rows.map(layRow)],
    }),
  );
  return blocks;
}

function headerRow(): TableRow {
  return new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: COLUMNS.map(
      (c) =>
        new TableCell({
          width: { size: c.width, type: WidthType.DXA },
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: HEADER_SHADING },
          children: [new Paragraph({ children: [run(c.heading, { bold: true })] })],
        }),
    ),
  });
}

function actionRow(row: ProgressReportRow): TableRow {
  return new TableRow({
    cantSplit: true,
    children: COLUMNS.map(
      (c) =>
        new TableCell({
          width: { size: c.width, type: WidthType.DXA },
          children: lines(c.cell(row)),
        }),
    ),
  });
}

/** One paragraph per line of text, so a note written over several lines keeps its breaks. */
function lines(text: string): Paragraph[] {
  return xmlSafe(text)
    .split(/\r\n|\r|\n/)
    .map((line) => new Paragraph({ children: [run(line)] }));
}

function run(text: string, style: { bold?: boolean; italics?: boolean } = {}): TextRun {
  return new TextRun({ text: xmlSafe(text), ...style });
}
