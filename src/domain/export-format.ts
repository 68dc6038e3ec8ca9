import { DateTime } from 'luxon';

/**
 * The progress update's file formats: Word (the document sent to The National Archives), Excel
 * and CSV (which the importers read back).
 */
export const EXPORT_FORMATS = ['docx', 'xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** How people name the formats: "Word", "Excel", "CSV". */
export const EXPORT_FORMAT_NAMES: Readonly<Record<ExportFormat, string>> = {
  docx: 'Word',
  xlsx: 'Excel',
  csv: 'CSV',
};

const FORMAT_WORDS: Readonly<Record<string, ExportFormat>> = {
  docx: 'docx',
  doc: 'docx',
  word: 'docx',
  xlsx: 'xlsx',
  xls: 'xlsx',
  excel: 'xlsx',
  spreadsheet: 'xlsx',
  csv: 'csv',
};

/** "Word", "docx", "excel", ".xlsx", "CSV" → the format; undefined for anything else. */
export function parseExportFormat(text: string): ExportFormat | undefined {
  return FORMAT_WORDS[text.trim().toLowerCase().replace(/^\./, '')];
}

/** The longest progress-update label accepted: "September 2027" is 14 characters. */
export const MAX_LABEL_LENGTH = 60;

/**
 * The label of a progress update made at `now`: its month and year in the plan's time zone,
 * "November 2026", as the plans write it.
 */
export function defaultProgressLabel(now: Date, timeZone: string): string {
  const inZone = DateTime.fromJSDate(now, { zone: timeZone });
  const d = inZone.isValid ? inZone : DateTime.fromJSDate(now, { zone: 'UTC' });
  return d.setLocale('en-GB').toFormat('MMMM yyyy');
}

/**
 * A file name for the export that says what it is and sorts by date in a folder:
 * "moj-ima-2017-progress-update-november-2026.docx".
 */
export function exportFileName(planId: string, label: string, format: ExportFormat): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${planId}-progress-update${slug ? `-${slug}` : ''}.${format}`;
}
