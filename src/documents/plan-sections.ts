import { tidyText } from '../domain/action-row.js';
import type { ImportIssue } from '../domain/parsed-plan.js';
import {
  describePosition,
  describeTwoPositions,
  positionOf,
  type SourcePosition,
} from '../domain/source-position.js';
import { PROGRESS_ROW, RECOMMENDATION_ROW } from './header-columns.js';

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

/**
 * What a plan document says around its tables, for the plan reader: its title, its
 * recommendations ("Recommendation N" and the text under it), and its "Progress update – <label>".
 * Problems go to the reader's own lists.
 */
export class PlanSections {
  readonly recommendations = new Map<string, { text: string; at: SourcePosition }>();
  /** Recommendations the document heads ("Recommendation N"), as opposed to ones only referred to. */
  readonly declared = new Set<string>();
  headingTitle: string | undefined;
  firstLineTitle: string | undefined;
  planColumnTitle: string | undefined;
  progress: { label: string; at: SourcePosition } | undefined;
  /** The recommendation whose heading was seen last. */
  currentRecommendation: string | undefined;
  /** Before any header, recommendation or progress line: where the title is. */
  preamble = true;
  /** The text of the recommendation just headed, gathered line by line until its block ends. */
  private openText: { n: string; lines: string[]; at?: SourcePosition } | undefined;
  private readonly recommendationTextAt = new Map<string, SourcePosition>();

  constructor(
    private readonly errors: ImportIssue[],
    private readonly warnings: ImportIssue[],
  ) {}

  /** The plan's title: a Plan column, else the first heading, else the first line. */
  title(): string | undefined {
    return this.planColumnTitle ?? this.headingTitle ?? this.firstLineTitle;
  }

  /** "Recommendation N …", "Progress update – …", or the text of the recommendation above. */
  sectionLine(text: string, at: SourcePosition, beforeSection: () => void): boolean {
    const rec = RECOMMENDATION_ROW.exec(text);
    if (rec) {
      beforeSection();
      this.closeRecommendationText();
      const n = String(Number(rec[1]));
      this.currentRecommendation = n;
      this.declared.add(n);
      if (!this.recommendations.has(n)) this.recommendations.set(n, { text: '', at });
      // "Recommendation 2 (continued)", over a table carried on to another page, adds no text.
      const rest = tidyText(rec[2] ?? '').replace(/^\(?cont(?:inued|\.|'d)?\)?$/i, '');
      if (rest) this.noteRecommendationText(n, rest, at);
      else this.openText = { n, lines: [] };
      this.preamble = false;
      return true;
    }
    const progress = PROGRESS_ROW.exec(text);
    if (progress) {
      beforeSection();
      this.closeRecommendationText();
      this.noteProgress(tidyText(progress[1] ?? ''), at);
      this.preamble = false;
      return true;
    }
    if (this.openText) {
      this.openText.lines.push(text);
      this.openText.at ??= at;
      return true;
    }
    return false;
  }

  closeRecommendationText(): void {
    const open = this.openText;
    this.openText = undefined;
    if (open?.at && open.lines.length > 0) {
      this.noteRecommendationText(open.n, open.lines.join(' '), open.at);
    }
  }

  /** A recommendation's text; given twice, the two must agree (else one would be lost). */
  noteRecommendationText(n: string, text: string, at: SourcePosition): void {
    const known = this.recommendations.get(n);
    if (!known?.text) {
      this.recommendations.set(n, { text, at });
      this.recommendationTextAt.set(n, at);
      return;
    }
    if (known.text === text) return;
    this.errors.push({
      ...positionOf(at),
      column: 'Recommendation text',
      message: `Recommendation ${n} is given two different texts (${describeTwoPositions(this.recommendationTextAt.get(n) ?? known.at, at)}): "${clip(known.text)}" and "${clip(text)}". Keep one.`,
    });
  }

  noteProgress(label: string, at: SourcePosition): void {
    if (!label) return;
    if (!this.progress) this.progress = { label, at };
    else if (label !== this.progress.label) {
      this.warnings.push({
        ...positionOf(at),
        message: `This says "Progress update – ${label}" but ${describePosition(this.progress.at)} says "${this.progress.label}"; the first is used.`,
      });
    }
  }
}
