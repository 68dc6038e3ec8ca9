import { SaxesParser } from 'saxes';

import { readZip, ZipError } from './zip-archive.js';

/**
 * What a file is, told from its bytes, never from its name: a Word document, an Excel workbook,
 * text (a plan copied out of Word, or CSV), or something the bot refuses with a message saying
 * what it is and what to do. The name is used only to say "though its name ends in .docx".
 */
export type FileKind =
  | { readonly kind: 'word'; readonly mainPart: string }
  | { readonly kind: 'excel' }
  | { readonly kind: 'text' }
  | { readonly kind: 'refused'; readonly message: string };

export const ACCEPTED =
  'Plans are accepted as Word (.docx), Excel (.xlsx), CSV (.csv) or text (.txt) files.';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export const startsWith = (bytes: Buffer, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

export const extensionOf = (fileName: string): string =>
  /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';

const NAMED: Readonly<Record<string, string>> = {
  docx: 'Word document',
  docm: 'Word document',
  doc: 'Word document',
  xlsx: 'Excel workbook',
  xlsm: 'Excel workbook',
  xls: 'Excel workbook',
  csv: 'CSV file',
  txt: 'text file',
};

/** ", though its name ends in .docx" when the name claims another kind than the bytes are. */
function nameSays(fileName: string, actual: string): string {
  const ext = extensionOf(fileName);
  const claimed = NAMED[ext];
  return claimed && claimed !== actual ? `, though its name ends in .${ext}` : '';
}

const refused = (message: string): FileKind => ({ kind: 'refused', message });

/** Sniffs the kind of a plan file from its bytes. */
export async function fileKind(bytes: Buffer, fileName: string): Promise<FileKind> {
  if (startsWith(bytes, ZIP) || startsWith(bytes, EMPTY_ZIP)) return zipKind(bytes, fileName);
  if (startsWith(bytes, OLE2)) return refused(compoundFileMessage(bytes, fileName));
  const head = bytes.subarray(0, 5).toString('latin1');
  if (head === '%PDF-') {
    return refused(
      `This is a PDF${nameSays(fileName, 'PDF')}, which the bot cannot read. ${ACCEPTED} Send the plan's original Word document instead.`,
    );
  }
  if (head === '{\\rtf') {
    return refused(
      `This is a Rich Text (RTF) file${nameSays(fileName, 'RTF')}: open it in Word and save it as "Word Document (.docx)". ${ACCEPTED}`,
    );
  }
  const ext = extensionOf(fileName);
  if (['docx', 'docm', 'xlsx', 'xlsm'].includes(ext)) {
    return refused(
      `"${fileName.split(/[\\/]/).pop()}" is named as ${ext.startsWith('doc') ? 'a Word document' : 'an Excel workbook'} but is not one (an .${ext} file is a ZIP archive). If it was saved as CSV or text, rename it to .csv or .txt; otherwise open it and save it again as "${ext.startsWith('doc') ? 'Word Document (.docx)' : 'Excel Workbook (.xlsx)'}".`,
    );
  }
  return { kind: 'text' };
}

const CONTENT_TYPES = '[Content_Types].xml';
const WORD_MAIN =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const WORD_TEMPLATE =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml';
const WORD_MACRO = /^application\/vnd\.ms-word\.(document|template)\.macroEnabled/i;
const EXCEL = /^application\/vnd\.(openxmlformats-officedocument\.spreadsheetml|ms-excel)\./i;
const POWERPOINT = /presentationml|ms-powerpoint/i;

/** An Office file is a ZIP whose [Content_Types].xml names its parts' kinds. */
async function zipKind(bytes: Buffer, fileName: string): Promise<FileKind> {
  let contents;
  try {
    contents = await readZip(bytes, {
      wanted: (name) => name === CONTENT_TYPES || name === 'mimetype',
      maxUnpackedBytes: 1024 * 1024,
    });
  } catch (e) {
    if (!(e instanceof ZipError)) throw e;
    return refused(
      e.problem === 'unreadable'
        ? `This looks like a ZIP archive (as Word and Excel files are) but it is damaged and cannot be opened (${e.message}). Open the file and save it again. ${ACCEPTED}`
        : `This ZIP archive cannot be read (${e.message}). ${ACCEPTED}`,
    );
  }
  const parts = contentTypes(contents.files.get(CONTENT_TYPES)?.toString('utf8'));
  const types = [...parts.values()];
  const main = [...parts].find(([, type]) => type === WORD_MAIN || type === WORD_TEMPLATE);
  if (types.some((t) => WORD_MACRO.test(t))) {
    return refused(
      `This is a macro-enabled Word document (.docm). The bot does not take files that can carry macros: in Word, save it as "Word Document (.docx)" and send that.`,
    );
  }
  if (main) return { kind: 'word', mainPart: main[0].replace(/^\//, '') };
  if (types.some((t) => EXCEL.test(t)) || contents.names.includes('xl/workbook.xml')) {
    return { kind: 'excel' };
  }
  if (contents.names.includes('word/document.xml')) {
    return { kind: 'word', mainPart: 'word/document.xml' };
  }
  if (types.some((t) => POWERPOINT.test(t))) {
    return refused(
      `This is a PowerPoint presentation${nameSays(fileName, 'PowerPoint')}, not a plan. ${ACCEPTED}`,
    );
  }
  const mimetype = contents.files.get('mimetype')?.toString('latin1') ?? '';
  if (mimetype.startsWith('application/vnd.oasis.opendocument')) {
    return refused(
      `This is an OpenDocument file (.odt/.ods)${nameSays(fileName, 'OpenDocument')}: save it as Word (.docx) or Excel (.xlsx). ${ACCEPTED}`,
    );
  }
  return refused(`This is a zip archive, not a plan. ${ACCEPTED}`);
}

/** Part name → content type, from [Content_Types].xml's Override elements. */
function contentTypes(xml: string | undefined): Map<string, string> {
  const parts = new Map<string, string>();
  if (!xml) return parts;
  const parser = new SaxesParser({ position: false });
  parser.on('doctype', () => {
    throw new Error('unexpected document type declaration');
  });
  parser.on('opentag', (tag) => {
    const name = tag.name.replace(/^.*:/, '');
    const { PartName, ContentType } = tag.attributes as Record<string, string | undefined>;
    if (name === 'Override' && PartName && ContentType) parts.set(PartName, ContentType);
  });
  try {
    parser.write(xml).close();
  } catch {
    // A damaged content types part: the part names still decide below.
  }
  return parts;
}

/**
 * An OLE compound file (Office 97–2003, and every password-protected Office file, whose
 * encrypted package sits in one beside an "EncryptionInfo" stream): which one, from the names of
 * the streams in its directory.
 */
function compoundFileMessage(bytes: Buffer, fileName: string): string {
  const has = (stream: string): boolean => compoundFileHasStream(bytes, stream);
  if (has('EncryptionInfo')) {
    return `This file is protected with a password (encrypted), so the bot cannot open it. Remove the password (in Word or Excel: File > Info > Protect Document, or Protect Workbook > Encrypt with Password, and clear it), save it, and send it again.`;
  }
  if (has('WordDocument')) {
    return `This is an old-style Word document (.doc, Word 97–2003)${nameSays(fileName, 'Word document')}, which the bot cannot read. Open it in Word and save it as "Word Document (.docx)", then send that.`;
  }
  if (has('Workbook') || has('Book')) {
    return `This is an old-style Excel workbook (.xls, Excel 97–2003)${nameSays(fileName, 'Excel workbook')}, which the bot cannot read. Open it in Excel and save it as "Excel Workbook (.xlsx)".`;
  }
  return `This is an old-style Office file (Office 97–2003), which the bot cannot read. Save it as a Word Document (.docx) or an Excel Workbook (.xlsx). ${ACCEPTED}`;
}

/**
 * True when the compound file's directory has a stream of that name. Directory entries are 128
 * bytes, each starting with the name in UTF-16LE and holding the name's byte length (with its
 * terminating zero) at offset 64; sectors, and so entries, sit on 128-byte boundaries.
 */
export function compoundFileHasStream(bytes: Buffer, stream: string): boolean {
  const name = Buffer.from(`${stream}\u0000`, 'utf16le');
  for (let at = 512; at + 128 <= bytes.length; at += 128) {
    if (
      bytes.readUInt16LE(at + 64) === name.length &&
      bytes.subarray(at, at + name.length).equals(name)
    ) {
      return true;
    }
  }
  return false;
}
