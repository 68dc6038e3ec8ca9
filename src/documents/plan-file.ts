import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';

import { megabytes } from '../domain/file-size.js';
import type { ImportIssue, ImportResult } from '../domain/parsed-plan.js';
import type { PlanDocumentReader } from '../ports/plan-document-reader.js';
import { looksLikeCsv, parseCsvPlan } from './csv-plan-importer.js';
import { parseDocxPlan } from './docx-plan-importer.js';
import { ACCEPTED, extensionOf, fileKind, startsWith } from './file-kind.js';
import { unreadable } from './plan-table-reader.js';
import { parseTextPlan } from './text-plan-importer.js';
import { parseXlsxPlan } from './xlsx-plan-importer.js';

/** The largest plan file accepted: a real plan is a few tens of kilobytes. */
export const MAX_PLAN_FILE_BYTES = 10 * 1024 * 1024;

const tooBig = (size: number): ImportIssue => ({
  message: `The file is ${megabytes(size)}; the largest plan file accepted is ${megabytes(MAX_PLAN_FILE_BYTES)}. Is this the right file?`,
});

const EMPTY: ImportIssue = { message: 'The file is empty.' };
const BINARY: ImportIssue = {
  message: `This looks like a binary file, not a plan. ${ACCEPTED}`,
};

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];

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
 * Reads a plan document from its bytes. Its kind is told from the bytes (file-kind.ts), never
 * from the name: a Word document or an Excel workbook by its content types, anything else as
 * text (UTF-8, UTF-16 by BOM, or Windows-1252), read as CSV when its header row is split by
 * commas or semicolons (or the name ends .csv or .tsv), and as a table copied out of Word otherwise. Files that are empty, too big, binary or another
 * known format (PDF, an old .doc, a password-protected or macro-enabled file) give one error
 * saying what to do.
 */
export async function parsePlanDocument(bytes: Buffer, fileName: string): Promise<ImportResult> {
  if (bytes.length > MAX_PLAN_FILE_BYTES) return unreadable(fileName, tooBig(bytes.length));
  if (bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) {
    return unreadable(fileName, EMPTY);
  }
  const kind = await fileKind(bytes, fileName);
  switch (kind.kind) {
    case 'refused':
      return unreadable(fileName, { message: kind.message });
    case 'word':
      return parseDocxPlan(bytes, fileName, kind.mainPart);
    case 'excel':
      return parseXlsxPlan(bytes, fileName);
    case 'text':
      break;
  }
  const text = decodeText(bytes);
  if (text === undefined || mostlyControl(text)) return unreadable(fileName, BINARY);
  if (!text.replace(/^\uFEFF/, '').trim()) return unreadable(fileName, EMPTY);

  const ext = extensionOf(fileName);
  if (ext === 'csv' || ext === 'tsv' || looksLikeCsv(text)) return parseCsvPlan(text, fileName);
  return parseTextPlan(text.replace(/^\uFEFF/, ''), fileName);
}

/** The PlanDocumentReader port: a file's bytes from anywhere (a file sent to the bot in Teams). */
export const readPlanDocument: PlanDocumentReader = (bytes, fileName) =>
  parsePlanDocument(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), fileName);

/**
 * Reads a plan file from disk. The size is checked (stat) before reading, so a huge file is refused
 * without being loaded; a missing file or a folder is an error, not an exception.
 */
export async function readPlanFile(path: string): Promise<ImportResult> {
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return unreadable(name, { message: `"${path}" is not a file.` });
    size = info.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return unreadable(name, { message: `There is no file "${path}".` });
    if (code === 'EACCES' || code === 'EPERM') {
      return unreadable(name, {
        message: `The file "${path}" cannot be read (permission denied).`,
      });
    }
    throw e;
  }
  if (size > MAX_PLAN_FILE_BYTES) return unreadable(name, tooBig(size));
  if (size === 0) return unreadable(name, EMPTY);
  return parsePlanDocument(await readFile(path), name);
}
