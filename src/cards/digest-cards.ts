import { randomBytes } from 'node:crypto';
import { formatDate, todayIn } from '../domain/calendar.js';
import type { Action } from '../domain/plan.js';
import { normaliseEmail } from '../domain/plan.js';
import { describeDueness } from '../domain/progress.js';
import { RAG_LABEL, type RagRating } from '../domain/rag.js';
import { parseStatus, statusLabel } from '../domain/status.js';
import type { CardView, PersonView, RenderedCard } from '../ports/card-renderer.js';
import {
  byLabel,
  personLabel,
  whyText,
  planLine,
  truncateText,
  type CardColor,
} from './card-format.js';
import { bar, barsOf, type ChartPoint, doneHeadline, statusSegments } from './progress-cards.js';
import { planButtonData, type PlanButtonData } from './verbs.js';

type DigestView = Extract<CardView, { kind: 'digest' }>;

/**
 * How many rows each list of the digest shows: with a 10,000-action plan the card still fits a
 * Teams message (tested, and measured by `npm run bench:digest`); the rest is counted and the
 * reader pointed to `status` and the export.
 */
export const DIGEST_LIMITS = {
  rows: 10,
  refsInLine: 40,
  recommendations: 30,
  mentions: 20,
} as const;

export interface DigestSection {
  readonly title: string;
  readonly color: CardColor;
  readonly lines: readonly { text: string }[];
  readonly hasMore: boolean;
  readonly moreText: string;
}

export interface DigestCardData {
  readonly planTitle: string;
  readonly title: string;
  readonly period: string;
  readonly hasNotice: boolean;
  readonly notice: string;
  readonly ragLine: string;
  readonly ragColor: CardColor;
  readonly headline: string;
  readonly hasActions: boolean;
  readonly donut: readonly ChartPoint[];
  readonly progressBar: string;
  readonly bars: readonly { title: string; segments: readonly ChartPoint[] }[];
  readonly barsFallback: string;
  readonly recommendationLines: readonly { text: string }[];
  readonly sections: readonly DigestSection[];
  readonly footer: string;
  readonly payload: PlanButtonData;
}

export const RAG_COLOR: Readonly<Record<RagRating, CardColor>> = {
  red: 'Attention',
  amber: 'Warning',
  green: 'Good',
};

/**
 * Marks where an @mention goes; replaced after expansion (escaping would break `<at>`). Each
 * digest's tokens carry a random nonce, so text someone typed (a note, an action's text, a name)
 * can never be a token: a note reading "@@mention0@@" shows as typed and mentions nobody.
 */
const mentionToken = (nonce: string, i: number): string => `@@mention-${nonce}-${i}@@`;

/** The digest's template data, and the mentions to put in place of their tokens. */
export function digestCardData(view: DigestView): {
  data: DigestCardData;
  mentions: readonly { token: string; id: string; name: string }[];
} {
  const { digest, plan } = view;
  const s = digest.summary;
  const person = (email: string): PersonView =>
    view.people.get(normaliseEmail(email)) ?? { email, reachable: false };
  const mentions: { token: string; id: string; name: string; email: string }[] = [];
  const nonce = randomBytes(16).toString('hex');
  const ownerText = (a: Action): string => {
    if (a.owners.length === 0) return 'no owner';
    return a.owners
      .map((o) => {
        const email = normaliseEmail(o);
        const m = view.mentions.get(email);
        if (!m) return personLabel(person(email));
        const known = mentions.find((x) => x.email === email);
        if (known) return known.token;
        if (mentions.length >= DIGEST_LIMITS.mentions) return personLabel(person(email));
        const token = mentionToken(nonce, mentions.length);
        mentions.push({ token, id: m.id, name: m.name, email });
        return token;
      })
      .join(', ');
  };

  const overdueLines = s.overdue.slice(0, DIGEST_LIMITS.rows).map((o) => ({
    text: `**${o.action.ref}** ${truncateText(o.action.text, 80)} — ${describeDueness({ kind: 'overdue', days: o.daysOverdue })} · ${ownerText(o.action)}`,
  }));
  const dueLines = s.dueSoon.slice(0, DIGEST_LIMITS.rows).map((d) => ({
    text: `**${d.action.ref}** ${truncateText(d.action.text, 80)} — ${describeDueness({ kind: 'due', days: d.daysLeft })} · ${joinOwners(d.action, person)}`,
  }));
  const changeLines = digest.changes.slice(0, DIGEST_LIMITS.rows).map((c) => ({
    text: `**${c.ref}** ${changeWhat(c)} — ${byLabel(c.by, person(c.by).name)}, ${formatDate(todayIn(plan.timeZone, new Date(c.at)))}`,
  }));
  const refs = (list: readonly Pick<Action, 'ref'>[]): { text: string }[] =>
    list.length === 0
      ? []
      : [
          {
            text: list
              .slice(0, DIGEST_LIMITS.refsInLine)
              .map((a) => a.ref)
              .join(', '),
          },
        ];

  const sections: DigestSection[] = [
    section(`Overdue (${s.overdue.length})`, 'Attention', overdueLines, s.overdue.length),
    section(
      `Due in the next ${s.dueSoonDays} days (${s.dueSoon.length})`,
      'Warning',
      dueLines,
      s.dueSoon.length,
    ),
    section(
      `Changed this week (${digest.changes.length} ${digest.changes.length === 1 ? 'change' : 'changes'} by ${digest.changedBy} ${digest.changedBy === 1 ? 'person' : 'people'})`,
      'Accent',
      changeLines,
      digest.changes.length,
    ),
    section(
      `Completed this week (${digest.completed.length})`,
      'Good',
      refs(digest.completed),
      digest.completed.length,
      DIGEST_LIMITS.refsInLine,
    ),
    section(
      `No owner (${s.noOwner.length})`,
      'Warning',
      refs(s.noOwner),
      s.noOwner.length,
      DIGEST_LIMITS.refsInLine,
    ),
    section(
      `Owners the bot cannot reach (${s.unreachable.length})`,
      'Default',
      s.unreachable.slice(0, DIGEST_LIMITS.rows).map((u) => ({
        text: `${person(u.email).name?.trim() || u.email} — ${u.refs.slice(0, 10).join(', ')}${u.refs.length > 10 ? '…' : ''}${whyText(person(u.email))}`,
      })),
      s.unreachable.length,
    ),
  ].filter((x) => x.lines.length > 0);

  const recs = digest.recommendations.slice(0, DIGEST_LIMITS.recommendations);
  const trimmed =
    s.overdue.length > DIGEST_LIMITS.rows ||
    s.dueSoon.length > DIGEST_LIMITS.rows ||
    digest.changes.length > DIGEST_LIMITS.rows ||
    s.noOwner.length > DIGEST_LIMITS.refsInLine;
  const weekTo = todayIn(plan.timeZone, new Date(digest.asOf));
  const data: DigestCardData = {
    planTitle: planLine(plan),
    title: view.preview ? 'Weekly digest (preview)' : 'Weekly digest',
    period: `The week ${formatDate(digest.weekFrom)} to ${formatDate(weekTo)}`,
    hasNotice: Boolean(view.lateFor) || Boolean(view.preview),
    notice: view.lateFor
      ? `This digest is late: it was due on ${formatDate(view.lateFor)}, when the bot could not send it.`
      : view.preview
        ? 'A preview: this digest has not been posted anywhere.'
        : '',
    ragLine: `${RAG_LABEL[s.rag.rating]}: ${s.rag.reasons.join('; ')}`,
    ragColor: RAG_COLOR[s.rag.rating],
    headline: doneHeadline(s.counts),
    hasActions: s.counts.total > 0,
    donut: statusSegments(s.counts),
    progressBar: `${bar(s.counts.percentDone)} ${s.counts.percentDone}% done`,
    ...barsOf(recs, false),
    recommendationLines: recs.map((r) => ({
      text: `Recommendation ${r.number}: ${r.counts.done} of ${r.counts.total} done (${r.counts.percentDone}%)`,
    })),
    sections,
    footer: trimmed
      ? 'Long lists are cut short here. Say **status** (or **status** and an area) to me for the full picture, or ask the KIM team for the export.'
      : 'Say **status** to me for an area’s picture, or **digest preview** to see this digest at any time.',
    payload: planButtonData(plan.id),
  };
  return { data, mentions: mentions.map(({ token, id, name }) => ({ token, id, name })) };
}

function section(
  title: string,
  color: CardColor,
  lines: readonly { text: string }[],
  total: number,
  shown: number = DIGEST_LIMITS.rows,
): DigestSection {
  const more = Math.max(0, total - shown);
  return {
    title,
    color,
    lines,
    hasMore: more > 0,
    moreText: more > 0 ? `…and ${more} more — say **status** to me, or see the export.` : '',
  };
}

function joinOwners(a: Action, person: (email: string) => PersonView): string {
  return a.owners.length === 0
    ? 'no owner'
    : a.owners.map((o) => personLabel(person(o))).join(', ');
}

function changeWhat(c: { field: string; from?: string; to?: string }): string {
  const label = (t: string | undefined): string => {
    if (c.field !== 'status' || t === undefined) return truncateText(t ?? '', 60);
    const st = parseStatus(t);
    return st ? statusLabel(st) : truncateText(t, 60);
  };
  if (c.field === 'note') return `note “${truncateText(c.to ?? '', 60)}”`;
  if (!c.from) return `${c.field} set to ${label(c.to)}`;
  if (!c.to) return `${c.field} cleared`;
  return `${c.field} ${label(c.from)} → ${label(c.to)}`;
}

/** Puts the @mentions in place of their tokens and lists them where Teams looks for them. */
export function withMentions(
  card: RenderedCard,
  mentions: readonly { token: string; id: string; name: string }[],
): RenderedCard {
  if (mentions.length === 0) return card;
  let json = JSON.stringify(card);
  const entities = mentions.map((m) => {
    const text = `<at>${m.name.replace(/[<>&"\\]/g, '').trim() || 'owner'}</at>`;
    json = json.split(m.token).join(text.replace(/"/g, ''));
    return { type: 'mention', text, mentioned: { id: m.id, name: m.name } };
  });
  const out = JSON.parse(json) as RenderedCard;
  const msteams = (out['msteams'] as Record<string, unknown> | undefined) ?? {};
  return { ...out, msteams: { ...msteams, entities } };
}
