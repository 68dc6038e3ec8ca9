import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';

import type { ImportIssue, ImportResult } from '../domain/parsed-plan.js';
import { parseCsvPlan } from './csv-plan-importer.js';
import { titleFromFileName } from './header-columns.js';
import { parseTextPlan } from './text-plan-importer.js';
import { parseXlsxPlan } from './xlsx-plan-importer.js';

/** The largest plan file accepted: a real plan is a few tens of kilobytes. */
export const MAX_PLAN_FILE_BYTES = 10 * 1024 * 1024;

const ACCEPTED = 'Plans are accepted as text (.txt), CSV (.csv) or Excel (.xlsx) files.';

const MB = 1024 * 1024;
const megabytes = (bytes: number): string => {
  const mb = bytes / MB;
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
};

function failed(fileName: string, ...errors: ImportIssue[]): ImportResult {
  return {
    plan: {
      title: titleFromFileName(fileName),
      progressUpdate: '',
      recommendations: [],
      actions: [],
      warnings: [],
    },
    errors,
  };
}

const tooBig = (size: number): ImportIssue => ({
  message: `The file is ${megabytes(size)}; the largest plan file accepted is ${megabytes(MAX_PLAN_FILE_BYTES)}. Is this the right file?`,
});

const EMPTY: ImportIssue = { message: 'The file is empty.' };
const BINARY: ImportIssue = {
  message: 'This looks like a binary file, not a plan (text, CSV or XLSX).',
};

const extensionOf = (fileName: string): string =>
  /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';

const startsWith = (bytes: Buffer, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];

/** File names are stored uncompressed in a zip, so an Office file's kind can be read without unzipping. */
const zipHas = (bytes: Buffer, entry: string): boolean => bytes.includes(entry, 0, 'latin1');

/** Why a known non-plan format cannot be read, or undefined when the bytes may be a plan. */
function knownBinary(bytes: Buffer, ext: string): string | undefined {
  if (startsWith(bytes, ZIP)) {
    if (zipHas(bytes, 'xl/workbook.xml')) return undefined;
    if (zipHas(bytes, 'word/document.xml')) {
      return `This is a Word document (.docx), which the bot cannot read directly: save the Word table as text (File > Save As > Plain Text), or copy it into Excel and save it as .xlsx. ${ACCEPTED}`;
    }
    if (zipHas(bytes, 'ppt/presentation.xml')) {
      return `This is a PowerPoint presentation, not a plan. ${ACCEPTED}`;
    }
    if (zipHas(bytes, 'application/vnd.oasis.opendocument')) {
      return `This is an OpenDocument file (.ods/.odt): save it as Excel (.xlsx), CSV or plain text. ${ACCEPTED}`;
    }
    return undefined;
  }
  if (startsWith(bytes, OLE2)) {
    return ext === 'doc'
      ? `This is an old-style Word document (.doc): save the Word table as text, or copy it into Excel and save it as .xlsx. ${ACCEPTED}`
      : `This is an old-style Office file (.xls or .doc, Office 97–2003) or a password-protected workbook: remove any password and save it as an Excel Workbook (.xlsx). ${ACCEPTED}`;
  }
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    return `This is a PDF, which the bot cannot read. ${ACCEPTED} Copy the plan's table out of the original document instead.`;
  }
  if (bytes.subarray(0, 5).toString('latin1') === '{\\rtf') {
    return `This is a Rich Text (RTF) file: save it as plain text (.txt) instead, or copy the table into Excel. ${ACCEPTED}`;
  }
  return undefined;
}

/** Decodes text: UTF-8 (with or without BOM), UTF-16 by its BOM, else Windows-1252. */
export function decodeText(bytes: Buffer): string | undefined {
  if (startsWith(bytes, UTF16LE_BOM)) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (startsWith(bytes, UTF16BE_BOM)) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(3) : bytes;
  if (body.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    // Not UTF-8: Notepad's "ANSI" and most older Windows tools write Windows-1252.
    return decodeWindows1252(body);
  }
}

/** Windows-1252's printable characters in 0x80–0x9F (the five gaps stay control characters). */
const CP1252_HIGH: Record<number, string> = {
  0x80: '\u20ac',
  0x82: '\u201a',
  0x83: '\u0192',
  0x84: '\u201e',
  0x85: '\u2026',
  0x86: '\u2020',
  0x87: '\u2021',
  0x88: '\u02c6',
  0x89: '\u2030',
  0x8a: '\u0160',
  0x8b: '\u2039',
  0x8c: '\u0152',
  0x8e: '\u017d',
  0x91: '\u2018',
  0x92: '\u2019',
  0x93: '\u201c',
  0x94: '\u201d',
  0x95: '\u2022',
  0x96: '\u2013',
  0x97: '\u2014',
  0x98: '\u02dc',
  0x99: '\u2122',
  0x9a: '\u0161',
  0x9b: '\u203a',
  0x9c: '\u0153',
  0x9e: '\u017e',
  0x9f: '\u0178',
};

/**
 * Windows-1252. Node's TextDecoder('windows-1252') decodes as Latin-1 (0x92 becomes U+0092, a
 * control character, not an apostrophe), so the 0x80–0x9F range is mapped here.
 */
function decodeWindows1252(bytes: Buffer): string {
  return new TextDecoder('windows-1252')
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0)] ?? c);
}

/** True when more than a tenth of the characters are control characters (tabs, line and page breaks aside). */
function mostlyControl(text: string): boolean {
  let control = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    const isControl =
      (c < 0x20 && (c < 0x09 || c > 0x0d)) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd;
    if (isControl) control++;
  }
  return control > text.length / 10;
}

/**
 * Reads a plan document from its bytes, choosing the importer by content and name: XLSX (a zip, or
 * a .xlsx name), CSV (.csv, .tsv), anything else as a text table copied out of Word. Text is decoded
 * as UTF-8, UTF-16 (by BOM) or Windows-1252. Files that are empty, too big, binary or another known
 * format (PDF, Word) give one error saying what to do.
 */
export async function parsePlanDocument(bytes: Buffer, fileName: string): Promise<ImportResult> {
  if (bytes.length > MAX_PLAN_FILE_BYTES) return failed(fileName, tooBig(bytes.length));
  if (bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) {
    return failed(fileName, EMPTY);
  }
  const ext = extensionOf(fileName);
  const other = knownBinary(bytes, ext);
  if (other) return failed(fileName, { message: other });

  if (startsWith(bytes, ZIP)) {
    if (zipHas(bytes, 'xl/workbook.xml') || ext === 'xlsx' || ext === 'xlsm') {
      return parseXlsxPlan(bytes, fileName);
    }
    return failed(fileName, {
      message: `This is a zip archive, not a plan. ${ACCEPTED}`,
    });
  }
  if (ext === 'xlsx' || ext === 'xlsm') {
    return failed(fileName, {
      message: `"${basename(fileName)}" is named as an Excel workbook but is not one (an .xlsx file is a zip archive). If it was saved as CSV or text, rename it to .csv or .txt; otherwise open it in Excel and save it as "Excel Workbook (.xlsx)".`,
    });
  }

  const text = decodeText(bytes);
  if (text === undefined || mostlyControl(text)) return failed(fileName, BINARY);
  if (!text.replace(/^\uFEFF/, '').trim()) return failed(fileName, EMPTY);

  if (ext === 'csv' || ext === 'tsv') return parseCsvPlan(text, fileName);
  return parseTextPlan(text.replace(/^\uFEFF/, ''));
}

/**
 * Reads a plan file from disk. The size is checked (stat) before reading, so a huge file is refused
 * without being loaded; a missing file or a folder is an error, not an exception.
 */
export async function readPlanFile(path: string): Promise<ImportResult> {
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return failed(name, { message: `"${path}" is not a file.` });
    size = info.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return failed(name, { message: `There is no file "${path}".` });
    if (code === 'EACCES' || code === 'EPERM') {
      return failed(name, { message: `The file "${path}" cannot be read (permission denied).` });
    }
    throw e;
  }
  if (size > MAX_PLAN_FILE_BYTES) return failed(name, tooBig(size));
  if (size === 0) return failed(name, EMPTY);
  return parsePlanDocument(await readFile(path), name);
}
