import type { Priority } from './priority.js';
import type { SourcePosition } from './source-position.js';
import type { Status } from './status.js';

/**
 * A plan as read from a document, before it is stored. This is also the JSON shape printed by
 * `actionplan import <file> --dry-run --json`.
 */
export interface ParsedPlan {
  title: string;
  progressUpdate: string;
  recommendations: { number: string; text: string }[];
  actions: ParsedAction[];
  warnings: ImportIssue[];
}

export interface ParsedAction extends SourcePosition {
  ref: string;
  recommendation: string;
  text: string;
  priority: Priority;
  targetText: string;
  /** YYYY-MM-DD, or null for ongoing and unresolved targets. */
  targetDate: string | null;
  ongoing: boolean;
  status: Status;
  /** Owners by email, lower-cased; a cell may name several, separated by ; or , */
  owners?: string[];
  area?: string;
  /** A progress note given with the action (a Note/Comments column), if any. */
  note?: string;
  /** Where the action was found: the line of a text or CSV file, the row of a sheet or Word table. */
  line: number;
}

/** A problem found while reading a document: a warning lets the import go on, an error stops it. */
export interface ImportIssue extends SourcePosition {
  /** Column name, when the problem is about a column. */
  column?: string;
  message: string;
}

/** What an importer returns: the plan as read, and the errors that stop it being stored. */
export interface ImportResult {
  plan: ParsedPlan;
  errors: ImportIssue[];
}
