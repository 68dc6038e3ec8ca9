import type { CardView } from '../ports/card-renderer.js';
import type { CardColor } from './card-format.js';
import { planButtonData, type PlanButtonData } from './verbs.js';

type View<K extends CardView['kind']> = Extract<CardView, { kind: K }>;

export interface WelcomeCardData {
  readonly greeting: string;
  readonly intro: string;
  readonly hasPlan: boolean;
  readonly planTitle: string;
  readonly planLine: string;
  readonly roleSummary: string;
  readonly noPlanText: string;
  readonly tip: string;
  readonly payload: PlanButtonData;
}

const INTRO =
  'I keep the action plan moving: I remind owners before their target dates, take updates from cards, and show everyone where things stand.';

/** The card someone sees when they install the bot or say hello: who they are in the plan. */
export function welcomeCardData(view: View<'welcome'>): WelcomeCardData {
  const firstName = view.name?.trim().split(/\s+/)[0];
  return {
    greeting: firstName ? `Hello ${firstName}` : 'Hello',
    intro: INTRO,
    hasPlan: view.plan !== undefined,
    planTitle: view.plan?.title ?? '',
    planLine: view.plan?.progressUpdate ? `Progress update – ${view.plan.progressUpdate}` : '',
    roleSummary: view.roleSummary,
    noPlanText: view.isAdmin
      ? "No plan has been imported yet. Send me the plan's Word document (or Excel, CSV or text) in our personal chat and I'll show what importing it would do, or use the command line: actionplan import <file>."
      : 'No plan has been imported yet. The KIM team will let you know when it is ready.',
    tip: `${mentionHint(view.scope)}Try **my actions**, **status** or **help**.`,
    payload: planButtonData(view.plan?.id ?? ''),
  };
}

export interface HelpCardData {
  readonly intro: string;
  readonly mention: boolean;
  readonly mentionText: string;
  readonly commands: readonly { command: string; meaning: string }[];
  readonly isAdmin: boolean;
  readonly adminCommands: readonly { command: string; meaning: string }[];
  readonly payload: PlanButtonData;
}

/** The commands, with examples taken from the plan itself so they can be tried as written. */
export function helpCardData(view: View<'help'>): HelpCardData {
  const ref = view.exampleRef ?? '4.9a';
  const area = view.exampleArea ?? 'HMPPS';
  return {
    intro: 'Ask me in plain words; these are the things I understand.',
    mention: view.scope !== 'personal',
    mentionText: 'In a channel or group chat, @mention me first, then the command.',
    commands: [
      { command: 'status', meaning: 'Your areas if you are a KIM Champion, else the whole plan' },
      { command: `status ${area}`, meaning: 'One business area' },
      { command: 'my actions', meaning: 'The actions you own' },
      { command: `action ${ref}`, meaning: 'One action: target, status, owners and history' },
      { command: 'overdue', meaning: 'Everything past its target date' },
      { command: 'plan', meaning: 'Progress for each recommendation' },
      { command: 'help', meaning: 'This list' },
    ],
    isAdmin: view.isAdmin,
    adminCommands: [
      {
        command: `assign ${ref} to name@department.gov.uk area ${area}`,
        meaning: 'Give an action its owner (and, optionally, its area)',
      },
      {
        command: `champion ${area} name@department.gov.uk`,
        meaning: 'Make someone a KIM Champion of an area (adding the area if it is new)',
      },
      {
        command: 'subscribe digest',
        meaning:
          'In a channel: post the weekly digest there every Monday at 09:00 (KIM Champions too; unsubscribe digest stops it)',
      },
      { command: 'digest preview', meaning: 'The weekly digest now, without posting it' },
      {
        command: 'Send me the plan file',
        meaning:
          'In our personal chat: the Word document (or Excel, CSV or text). I show what importing it would do, and import it when you press Import',
      },
      {
        command: 'who can you reach?',
        meaning: 'Owners and champions the bot cannot message yet, and why',
      },
    ],
    payload: planButtonData(view.planId ?? ''),
  };
}

export interface MessageCardData {
  readonly hasTitle: boolean;
  readonly title: string;
  readonly color: CardColor;
  readonly text: string;
  readonly hasDetails: boolean;
  readonly details: readonly { line: string }[];
}

const TONE_COLOR: Record<NonNullable<View<'message'>['tone']>, CardColor> = {
  info: 'Default',
  good: 'Good',
  warning: 'Warning',
  attention: 'Attention',
};

/** At most this many detail lines: an import error can list hundreds. */
const MAX_DETAILS = 10;

/** A plain notice: an answer in words, a refusal, an error's message. */
export function messageCardData(view: View<'message'>): MessageCardData {
  const details = view.details ?? [];
  const shown = details.slice(0, MAX_DETAILS).map((line) => ({ line }));
  if (details.length > MAX_DETAILS) {
    shown.push({ line: `…and ${details.length - MAX_DETAILS} more.` });
  }
  return {
    hasTitle: Boolean(view.title),
    title: view.title ?? '',
    color: TONE_COLOR[view.tone ?? 'info'],
    text: view.text,
    hasDetails: shown.length > 0,
    details: shown,
  };
}

function mentionHint(scope: View<'welcome'>['scope']): string {
  return scope === 'personal' ? '' : '@mention me, then a command. ';
}
