import type { ImportResult } from '../domain/parsed-plan.js';
import { readPlanRows, unreadable } from './plan-table-reader.js';
import { headingStyleIds, readWordBody } from './word-body.js';
import { readZip, ZipError } from './zip-archive.js';

/**
 * The most a Word file's parts may unpack to. A Word plan of 10,000 actions is about 20 MB of
 * XML; a small file that unpacks to far more is a ZIP bomb, refused before it fills the memory.
 */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

const MB = 1024 * 1024;

/**
 * Reads a plan from a Word document (.docx): its tables and the paragraphs around them, in
 * document order, go to the one plan reader (plan-table-reader.ts) as rows; places are the table
 * and row ("Table 2, row 5"), or the paragraph. The first title or heading paragraph is the plan's
 * title. `mainPart` is the document part the file's content types name (usually word/document.xml).
 */
export async function parseDocxPlan(
  bytes: Buffer,
  fileName?: string,
  mainPart = 'word/document.xml',
): Promise<ImportResult> {
  let files: ReadonlyMap<string, Buffer>;
  try {
    ({ files } = await readZip(bytes, {
      wanted: (name) => name === mainPart || name === 'word/styles.xml',
      maxUnpackedBytes: MAX_UNPACKED_BYTES,
    }));
  } catch (e) {
    if (!(e instanceof ZipError)) throw e;
    return unreadable(fileName, { message: zipMessage(e) });
  }
  const document = files.get(mainPart);
  if (!document) {
    return unreadable(fileName, {
      message: `This Word file has no document part (${mainPart}); it may be damaged. Open it in Word and save it again as "Word Document (.docx)".`,
    });
  }
  let body;
  try {
    const headingStyles = headingStyleIds(files.get('word/styles.xml')?.toString('utf8'));
    body = readWordBody(document.toString('utf8'), { headingStyles });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return unreadable(fileName, {
      message: `This Word document could not be read: its XML is damaged (${reason}). Open it in Word and save it again as "Word Document (.docx)".`,
    });
  }
  if (body.tables === 0) {
    return unreadable(fileName, {
      message:
        'This Word document has no table. The plan is read from its table of actions, with a header row naming the columns (Ref, Action, Priority, Target date, Status), as in the plan itself.',
    });
  }
  const result = readPlanRows(body.rows, fileName !== undefined ? { fileName } : {});
  if (body.problems.length === 0) return result;
  return { ...result, errors: [...body.problems, ...result.errors] };
}

function zipMessage(e: ZipError): string {
  switch (e.problem) {
    case 'too_big':
      return `This Word file unpacks to more than ${MAX_UNPACKED_BYTES / MB} MB, far more than any plan: it was not read. If it is the plan, remove pictures and other content and save it again.`;
    case 'encrypted':
      return 'This Word file is protected with a password, so the bot cannot open it. Remove the password, save it, and send it again.';
    case 'unreadable':
      return `This Word file is damaged and cannot be opened (${e.message}). Open it in Word and save it again as "Word Document (.docx)".`;
  }
}
