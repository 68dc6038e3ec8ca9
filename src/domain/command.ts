import { normaliseRef } from './action-ref.js';
import { areaKey } from './area-name.js';
import { parseExportFormat, type ExportFormat } from './export-format.js';
import { isEmail, normaliseEmail } from './plan.js';

/**
 * What someone asked the bot: a kind and its fields. A chat message is read into one here
 * (parseCommand); a card button carries one as data (src/cards/verbs.ts), never as text. Each
 * kind has its answer in src/app/commands. Area names are as the person wrote them, or as stored
 * when the message named a stored area; answers match them to the plan's areas by the one rule
 * of area-name.ts.
 */
export type Command =
  | { readonly kind: 'help' }
  /** A greeting ("hi", "hello"): answered with the welcome card. */
  | { readonly kind: 'welcome' }
  | { readonly kind: 'myActions' }
  | { readonly kind: 'action'; readonly ref: string }
  /**
   * `area` when one was named; `overall` when the person asked for the whole plan ("status all"),
   * which overrides the champion's default of their own areas.
   */
  | { readonly kind: 'status'; readonly area?: string; readonly overall?: boolean }
  | { readonly kind: 'overdue' }
  | { readonly kind: 'plan' }
  | {
      readonly kind: 'assign';
      readonly ref: string;
      readonly owners: readonly string[];
      readonly area?: string;
    }
  | { readonly kind: 'champion'; readonly area: string; readonly emails: readonly string[] }
  /**
   * The progress update as a file: "export", "export excel", "export csv November 2026". Word
   * unless another format is named; the label is the month named, else the current month.
   */
  | { readonly kind: 'export'; readonly format: ExportFormat; readonly label?: string }
  /** The weekly digest: `subscribe digest` / `unsubscribe digest` in a channel, `digest preview`. */
  | { readonly kind: 'subscribeDigest' }
  | { readonly kind: 'unsubscribeDigest' }
  | { readonly kind: 'digestPreview' }
  /**
   * A file sent to the bot (a plan document): previewed, to be imported with the preview card's
   * button. Only a file attachment gives it, never words. `downloadUrl` is as Teams gave it
   * (untrusted: the download client decides whether it may be fetched).
   */
  | { readonly kind: 'importFile'; readonly fileName: string; readonly downloadUrl: string }
  /** "who can you reach?": how the bot reaches each owner and champion (for plan admins). */
  | { readonly kind: 'reach' }
  /** An admin command with a part missing: answered with how to write it. */
  | { readonly kind: 'usage'; readonly command: 'assign' | 'champion'; readonly text: string }
  | { readonly kind: 'unknown'; readonly text: string };

/** A word of the message: as written (for area names and emails) and lower-cased (for keywords). */
interface Word {
  readonly text: string;
  readonly lower: string;
  /** The words that named a stored area, as one word: its name as stored, and no keyword. */
  readonly area?: true;
}

/** What the message is read against. */
export interface ParseContext {
  /**
   * The plan's area names. A message that names one of them (the same area, by area-name.ts)
   * is about that area whatever its words would otherwise mean: "status Export Team" is the
   * status of Export Team, not an export; "Digest Unit" alone, that area's status.
   */
  readonly areas?: readonly string[];
}

/**
 * Words that carry no meaning of their own in a command ("what's the status of HMPPS please"):
 * trimmed from the edges of an area name, never from its middle ("Office of the Public Guardian").
 */
const FILLER = new Set(
  (
    'a an the of for in on at to about with by from and or ' +
    'please pls plz thanks thank ta cheers ok okay hi hello hey ' +
    'can could would will you your i me us we our my it its is are was be ' +
    'show tell give get see list display check find look looking let know ' +
    'what whats how hows which who where when ' +
    'current currently latest now today so far there doing going getting up ' +
    'area areas business unit team action actions task tasks kim ' +
    'make add set appoint as new also'
  ).split(' '),
);

const STATUS_WORDS = new Set(['status', 'summary', 'overview', 'picture', 'dashboard', 'update']);
const OVERALL = new Set([
  'all',
  'overall',
  'everything',
  'everyone',
  'plan',
  'whole',
  'whole plan',
  'entire plan',
  'all areas',
  'total',
  'department',
  'progress',
]);
const OVERDUE_WORDS = new Set(['overdue', 'late', 'behind', 'missed', 'slipped', 'slipping']);
const PLAN_WORDS = new Set(['plan', 'progress', 'recommendation', 'recommendations', 'recs']);
const HELP_WORDS = new Set(['help', 'commands', 'command', 'usage', 'instructions', 'options']);
const GREETINGS = new Set(['hi', 'hello', 'hey', 'hiya', 'start', 'morning', 'afternoon']);
/** "who can you reach?", "who can't you reach", "unreachable owners", "reachability". */
const REACH_WORDS = new Set(['reach', 'reachable', 'unreachable', 'reachability', 'contactable']);
const OWN_WORDS = new Set(['action', 'actions', 'task', 'tasks', 'work', 'jobs', 'items']);

/**
 * Reads a chat message into a Command, forgivingly: a leading @mention and the bot's name, case,
 * punctuation and extra words are ignored, so "@Action Plan Bot what about 4.9A?" is `action 4.9a`
 * and "what's the status of HMPPS?" is `status HMPPS`. Anything it cannot place is `unknown`, so
 * the caller can always answer with a hint rather than stay silent. A stored area named in the
 * message (`context.areas`) is that area before anything else: its words are not keywords.
 */
export function parseCommand(text: string, context: ParseContext = {}): Command {
  const cleaned = stripBotName(cleanMessage(text));
  const all = tokenise(cleaned);
  if (all.length === 0) return { kind: 'help' };
  const named = namedArea(all, context.areas ?? []);
  if (!named) return readWords(all, cleaned);
  const areaWord: Word = { text: named.name, lower: '', area: true };
  const words = [...all.slice(0, named.start), areaWord, ...all.slice(named.end)];
  return aboutArea(readWords(words, cleaned), named.name);
}

/** The rules, in order: the first that fits the words decides. */
function readWords(words: readonly Word[], cleaned: string): Command {
  const lower = words.map((w) => w.lower);
  const has = (set: ReadonlySet<string> | readonly string[]): boolean => {
    const wanted = new Set(set);
    return lower.some((w) => wanted.has(w));
  };

  if (has(['assign', 'reassign', 'allocate'])) return parseAssign(words, cleaned);
  const champion = lower.findIndex((w) => w === 'champion' || w === 'champions');
  if (champion >= 0) {
    const asked = parseChampion(words, champion, cleaned);
    if (asked) return asked;
  }

  if (has(['export'])) return parseExport(words, cleaned);

  if (has(['digest', 'digests'])) {
    if (has(['unsubscribe', 'stop', 'cancel', 'end'])) return { kind: 'unsubscribeDigest' };
    if (has(['subscribe', 'start', 'sign', 'signup'])) return { kind: 'subscribeDigest' };
    return { kind: 'digestPreview' };
  }

  const ref = words.map(refOf).find((r) => r !== undefined);
  if (ref) return { kind: 'action', ref };

  if (has(REACH_WORDS)) return { kind: 'reach' };

  if (has(HELP_WORDS) || cleaned === '?' || /\bwhat can you do\b/i.test(cleaned)) {
    return { kind: 'help' };
  }
  if (has(['my', 'mine']) && has(OWN_WORDS)) return { kind: 'myActions' };
  if (has(['i']) && has(['own', 'responsible'])) return { kind: 'myActions' };
  if (has(OVERDUE_WORDS) || /\bpast due\b/i.test(cleaned)) return { kind: 'overdue' };

  const statusAt = lower.findIndex(
    (w) => STATUS_WORDS.has(w) || (has(['how', 'hows']) && (w === 'doing' || w === 'going')),
  );
  if (statusAt >= 0) return statusCommand(words, statusAt);

  if (has(['my', 'mine'])) return { kind: 'myActions' };
  if (has(PLAN_WORDS)) return { kind: 'plan' };
  if (has(GREETINGS) && lower.every((w) => GREETINGS.has(w) || FILLER.has(w) || w === 'bot')) {
    return { kind: 'welcome' };
  }
  return { kind: 'unknown', text: cleaned };
}

/**
 * The command, given that the message named a stored area: commands that take an area take it
 * as stored; a question about the plan's progress, or no command at all ("Digest Unit",
 * "Progress please"), is asking for that area's status. The rest keep their meaning ("overdue
 * in HMPPS" lists everything overdue, the champion's areas first).
 */
function aboutArea(command: Command, area: string): Command {
  switch (command.kind) {
    case 'status':
    case 'plan':
    case 'unknown':
    case 'welcome':
      return { kind: 'status', area };
    case 'champion':
    case 'assign':
      return { ...command, area };
    default:
      return command;
  }
}

/**
 * The longest run of whole words that names one of the areas (emails and refs are never part of
 * one); undefined when the message names none.
 */
function namedArea(
  words: readonly Word[],
  areas: readonly string[],
): { start: number; end: number; name: string } | undefined {
  const byKey = new Map(areas.map((name) => [areaKey(name), name] as const));
  byKey.delete('');
  if (byKey.size === 0) return undefined;
  const longest = Math.max(...[...byKey.keys()].map((k) => k.length));
  // Emails and refs are never part of a name: undefined stops a run there.
  const keys = words.map((w) =>
    isEmailWord(w) || refOf(w) !== undefined ? undefined : areaKey(w.text),
  );
  let found: { start: number; end: number; name: string; length: number } | undefined;
  for (let start = 0; start < words.length; start++) {
    let key = '';
    for (let end = start; end < words.length; end++) {
      const part = keys[end];
      if (part === undefined) break;
      key += part;
      if (key.length > longest) break;
      const name = byKey.get(key);
      if (name !== undefined && key.length > (found?.length ?? 0)) {
        found = { start, end: end + 1, name, length: key.length };
      }
    }
  }
  return found && { start: found.start, end: found.end, name: found.name };
}

/**
 * Removes what Teams wraps around a message: `<at>…</at>` mentions (anywhere, since a channel
 * message may mention the bot mid-sentence), the formatting tags a rich-text message carries,
 * entities, non-breaking spaces and curly quotes. Only known tags go, so "<ann@x.gov.uk>" stays.
 */
export function cleanMessage(text: string): string {
  return text
    .replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ')
    .replace(/<\/?(?:p|br|div|span|a|b|i|u|s|em|strong|img|ul|ol|li|font)\b[^>]*>/gi, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#0*39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/[\u00a0\u2007\u202f\u200b]/g, ' ')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Action Plan Bot, status" → "status": people type the bot's name when they cannot @mention it. */
function stripBotName(text: string): string {
  return text.replace(/^@?(?:action\s*plan\s*bot|actionplan(?:bot)?)\b[\s,:;.!-]*/i, '').trim();
}

function tokenise(text: string): Word[] {
  return text
    .split(' ')
    .map((raw) =>
      raw
        // Keep the dots of refs and emails inside a word; drop punctuation around it.
        .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
        // "HMPPS's", "what's": the possessive or contraction adds nothing to a command.
        .replace(/'s$/i, ''),
    )
    .filter(Boolean)
    .map((t) => ({ text: t, lower: t.toLowerCase() }));
}

/** Drops filler words from both ends of a run of words, keeping those in the middle. */
function trimFiller(words: readonly Word[]): Word[] {
  let start = 0;
  let end = words.length;
  while (start < end && FILLER.has(words[start]!.lower)) start++;
  while (end > start && FILLER.has(words[end - 1]!.lower)) end--;
  return words.slice(start, end);
}

const joinWords = (words: readonly Word[]): string => words.map((w) => w.text).join(' ');
const isEmailWord = (w: Word): boolean => !w.area && isEmail(w.text);
const refOf = (w: Word): string | undefined => (w.area ? undefined : normaliseRef(w.text));

/** The area named after a keyword ("status of HMPPS"), or else before it ("HMPPS status"). */
function areaAround(words: readonly Word[], at: number, skip: ReadonlySet<string>): string {
  const keep = (w: Word): boolean => !isEmailWord(w) && !skip.has(w.lower);
  const after = trimFiller(words.slice(at + 1).filter(keep));
  if (after.length > 0) return joinWords(after);
  return joinWords(trimFiller(words.slice(0, at).filter(keep)));
}

function statusCommand(words: readonly Word[], at: number): Command {
  const area = areaAround(words, at, STATUS_WORDS);
  if (!area) return { kind: 'status' };
  if (OVERALL.has(area.toLowerCase())) return { kind: 'status', overall: true };
  return { kind: 'status', area };
}

/** `assign <ref> to <email>[, <email>…] [area <name>]`, with the words in any sensible order. */
function parseAssign(words: readonly Word[], text: string): Command {
  const ref = words.map(refOf).find((r) => r !== undefined);
  const owners = [...new Set(words.filter(isEmailWord).map((w) => normaliseEmail(w.text)))];
  if (!ref || owners.length === 0) return { kind: 'usage', command: 'assign', text };
  const areaAt = words.findIndex((w) => w.lower === 'area');
  const lastEmail = words.map(isEmailWord).lastIndexOf(true);
  const tail = areaAt >= 0 ? words.slice(areaAt + 1) : words.slice(lastEmail + 1);
  const area = joinWords(trimFiller(tail.filter((w) => !isEmailWord(w))));
  return { kind: 'assign', ref, owners, ...(area ? { area } : {}) };
}

/**
 * `champion <area> <email>`, or "make ann@x.gov.uk the KIM Champion for HMPPS". Without an email
 * it is a question about the area ("who is the champion for HMPPS?"), answered by its status;
 * undefined when it names no area either, so the message is read as something else.
 */
function parseChampion(words: readonly Word[], at: number, text: string): Command | undefined {
  const emails = [...new Set(words.filter(isEmailWord).map((w) => normaliseEmail(w.text)))];
  const area = areaAround(words, at, new Set(['champion', 'champions']));
  const imperative = ['champion', 'champions', 'make', 'add', 'set', 'appoint'].includes(
    words[0]?.lower ?? '',
  );
  if (emails.length > 0 && area) return { kind: 'champion', area, emails };
  if (emails.length > 0 || imperative) return { kind: 'usage', command: 'champion', text };
  return area ? { kind: 'status', area } : undefined;
}

const MONTH_YEAR =
  /\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+(\d{4})\b/i;

/** `export [word|excel|csv] [<Month> <year>]`, the words in any order. */
function parseExport(words: readonly Word[], text: string): Command {
  const format = words.map((w) => parseExportFormat(w.text)).find((f) => f !== undefined);
  const month = MONTH_YEAR.exec(text);
  const label = month
    ? `${month[1]![0]!.toUpperCase()}${month[1]!.slice(1).toLowerCase()} ${month[2]!}`
    : undefined;
  return { kind: 'export', format: format ?? 'docx', ...(label ? { label } : {}) };
}
