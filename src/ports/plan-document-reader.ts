import type { ImportResult } from '../domain/parsed-plan.js';

/**
 * Reads a plan document (src/documents): Word, Excel, CSV or text. The kind is told from the
 * bytes, never from the name, which only names the plan when the document does not, and the file
 * in messages. Problems are in the result, never thrown: an unreadable file is one error saying why.
 */
export type PlanDocumentReader = (bytes: Uint8Array, fileName: string) => Promise<ImportResult>;
