import { escapeCardText, escapeData } from '../../../src/cards/escape.js';
import { CARD_TEMPLATES, renderCard } from '../../../src/cards/render-card.js';
import {
  ACTION_VERBS,
  BUTTON_VERBS,
  buttonData,
  commandOfButton,
  IMPORT_VERBS,
  MY_ACTIONS,
  NAVIGATION_VERBS,
  SET_STATUS,
  SHOW_ACTION,
  SHOW_PLAN,
  SHOW_STATUS,
  VERBS,
  type ButtonCommand,
} from '../../../src/cards/verbs.js';
import type { Action, Plan } from '../../../src/domain/plan.js';
import {
  progressByRecommendation,
  countByStatus,
  summariseProgress,
} from '../../../src/domain/progress.js';
import {
  MAX_CARD_BYTES,
  type CardView,
  type PersonView,
} from '../../../src/ports/card-renderer.js';
import { aHistoryEntry, anAction, aPlan } from '../../helpers/builders.js';
import { textsOf } from '../../helpers/bot-world.js';

/**
 * The Adaptive Cards SDK, to parse and validate the cards as a client would. Its ESM build does
 * not load under Node (extensionless imports); its UMD bundle does, with the same API.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

const TODAY = '2017-03-24';
const NOW = new Date('2017-03-24T10:00:00Z');
const plan = aPlan();
const alex: PersonView = {
  email: 'alex.owner@justice.gov.uk',
  name: 'Alex Owner',
  reachable: true,
};
const sam: PersonView = { email: 'sam@justice.gov.uk', reachable: false };

const actions: Action[] = [
  anAction({ ref: '1.1', status: 'in_progress', area: 'HMPPS', targetText: 'End Mar 2017' }),
  anAction({ ref: '1.2', owners: [], targetText: '20 March 2017', area: 'HMPPS' }),
  anAction({ ref: '2.1', targetText: 'Ongoing', owners: [sam.email] }),
  anAction({ ref: '2.2', status: 'complete', targetText: '30 Sept 2016' }),
  anAction({ ref: '2.3', status: 'blocked', targetText: 'sometime', owners: [sam.email] }),
];
const people = new Map([alex, sam].map((p) => [p.email, p]));

/** One view of every kind of card (two of some), with sample data: what the snapshots show. */
function sampleViews(p: Plan = plan, list: readonly Action[] = actions): [string, CardView][] {
  const first = list[0]!;
  return [
    [
      'welcome',
      {
        kind: 'welcome',
        scope: 'personal',
        name: 'Priya Champion',
        plan: p,
        roleSummary: 'You are the KIM Champion for HMPPS and own 3 actions.',
        isAdmin: false,
      },
    ],
    [
      'welcome, no plan yet, admin, in a channel',
      { kind: 'welcome', scope: 'channel', roleSummary: 'You are a plan admin.', isAdmin: true },
    ],
    [
      'help, admin',
      {
        kind: 'help',
        scope: 'personal',
        isAdmin: true,
        planId: p.id,
        exampleRef: '4.9a',
        exampleArea: 'HMPPS',
      },
    ],
    ['help, reader in a group chat, no plan', { kind: 'help', scope: 'groupChat', isAdmin: false }],
    [
      'message',
      {
        kind: 'message',
        title: 'Only a plan admin can do that',
        text: 'Only a plan admin can assign actions, so nothing has changed.',
        details: ['First detail', 'Second detail'],
        tone: 'warning',
      },
    ],
    ['message, plain', { kind: 'message', text: `There is no action 9.9 in this plan.` }],
    [
      'action',
      {
        kind: 'action',
        plan: p,
        action: { ...first, note: first.note ?? 'Strategy drafted; with the SIRO for sign-off.' },
        version: 'W/"datetime\'2017-03-01T09%3A00%3A00Z\'"',
        owners: [alex, sam],
        updatedByName: 'Alex Owner',
        history: [
          {
            ...aHistoryEntry({
              ref: first.ref,
              from: 'Not started',
              to: 'In progress',
              note: 'Started drafting.',
            }),
            byName: 'Alex Owner',
          },
          aHistoryEntry({
            ref: first.ref,
            kind: 'created',
            by: 'import:moj.txt',
            field: undefined,
            from: undefined,
            to: undefined,
            note: 'Progress update – May 2017',
          }),
        ],
        today: TODAY,
      },
    ],
    [
      'action list',
      {
        kind: 'actionList',
        plan: p,
        title: 'Your actions (5)',
        intro: 'You own 5 actions.',
        items: list.map((action) => ({
          action,
          owners: action.owners.map((o) => people.get(o) ?? { email: o, reachable: false }),
        })),
        today: TODAY,
      },
    ],
    [
      'status of the whole plan',
      {
        kind: 'status',
        plan: p,
        summary: summariseProgress(p, list, NOW, new Set([alex.email])),
        people,
      },
    ],
    [
      'status of an area',
      {
        kind: 'status',
        plan: p,
        areas: ['HMPPS'],
        champions: [alex],
        summary: summariseProgress(
          p,
          list.filter((a) => a.area === 'HMPPS'),
          NOW,
          new Set([alex.email]),
        ),
        people,
      },
    ],
    [
      'status of an area with no actions',
      {
        kind: 'status',
        plan: p,
        areas: ['OPG'],
        champions: [],
        summary: summariseProgress(p, [], NOW, new Set()),
        people,
      },
    ],
    [
      'plan progress',
      {
        kind: 'planProgress',
        plan: p,
        overall: countByStatus(list),
        recommendations: progressByRecommendation(p.recommendations, list),
      },
    ],
    ['import preview of a new plan', importPreview(p, list)],
    [
      'import preview of a newer progress update',
      importPreview(p, list, {
        storedProgressUpdate: 'May 2017',
        added: ['6.8', '6.9'],
        changes: [
          { ref: first.ref, field: 'status', from: 'In progress', to: 'Complete' },
          { ref: first.ref, field: 'text', from: first.text, to: `${first.text} (revised)` },
          ...Array.from({ length: 9 }, (_, i) => ({
            ref: `2.${i + 1}`,
            field: 'target',
            from: 'End Mar 2017',
            to: 'End Jun 2017',
          })),
        ],
        unchanged: 30,
        notInDocument: ['4.9d'],
        kept: [
          `${first.ref}: owner kept as ann@justice.gov.uk (the document says bob@justice.gov.uk)`,
        ],
      }),
    ],
  ];
}

function importPreview(
  p: Plan,
  list: readonly Action[],
  update?: Extract<CardView, { kind: 'importPreview' }>['update'],
): CardView {
  const counts = countByStatus(list);
  return {
    kind: 'importPreview',
    previewId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    fileName: 'moj-ima-action-plan-november-2017.docx',
    title: p.title,
    progressUpdate: update ? 'November 2017' : p.progressUpdate,
    recommendationCount: p.recommendations.length,
    actionCount: list.length,
    byStatus: counts,
    warnings: [
      `Table 2, row 5, column Target: "${list[0]!.target.text}" is not a date; kept as written.`,
    ],
    ...(update ? { update } : {}),
    expiresAt: '10:30',
  };
}

type Json = Record<string, unknown>;

/** Every object in a card, depth first. */
function nodes(card: unknown): Json[] {
  const out: Json[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    out.push(n as Json);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return out;
}

const executes = (card: unknown): Json[] => nodes(card).filter((n) => n.type === 'Action.Execute');

describe('every card, expanded with sample data', () => {
  it.each(sampleViews())('%s matches its snapshot', (_name, view) => {
    expect(renderCard(view)).toMatchSnapshot();
  });

  it.each(sampleViews())('%s: schema 1.5, and no ${ survives expansion', (_name, view) => {
    const card = renderCard(view);
    expect(card).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.5',
    });
    expect(JSON.stringify(card)).not.toContain('${');
  });

  it.each(sampleViews())(
    '%s: the Adaptive Cards SDK parses it with no complaint but the charts it does not know',
    (_name, view) => {
      const card = new AC.AdaptiveCard();
      const context = new AC.SerializationContext();
      card.parse(renderCard(view), context);
      const events = Array.from(
        { length: context.eventCount },
        (_, i) => context.getEventAt(i).message,
      ).filter((m) => !/^Unknown element type "Chart\.[A-Za-z.]+"/.test(m));
      expect(events).toEqual([]);
      expect(card.validateProperties().validationEvents.map((e) => e.message)).toEqual([]);
    },
  );

  it.each(sampleViews())('%s: every Action.Execute has a verb from verbs.ts', (_name, view) => {
    for (const action of executes(renderCard(view))) {
      expect(VERBS).toContain(action.verb);
      const data = action.data as Json;
      expect(typeof data).toBe('object');
      if ((IMPORT_VERBS as readonly unknown[]).includes(action.verb)) {
        expect(data).toEqual({ previewId: expect.any(String) });
      } else if ((ACTION_VERBS as readonly unknown[]).includes(action.verb)) {
        expect(data).toEqual(
          expect.objectContaining({ ref: '1.1', planId: plan.id, version: expect.any(String) }),
        );
      } else {
        expect(NAVIGATION_VERBS as readonly unknown[]).toContain(action.verb);
        expect(data).toHaveProperty('planId');
      }
      const fallback = action.fallback as Json | undefined;
      if (fallback) {
        expect(fallback.type).toBe('Action.Submit');
        expect((fallback.data as Json).verb).toBe(action.verb);
      }
    }
  });

  it('the action card offers the status changes, each with the ref, plan, version and status', () => {
    const card = renderCard(sampleViews().find(([n]) => n === 'action')![1]);
    const statusButtons = executes(card).filter((a) => a.verb === SET_STATUS);
    expect(statusButtons.map((b) => [b.title, (b.data as Json).status])).toEqual([
      // 1.1 is in progress already: no button for it.
      ['Mark blocked', 'blocked'],
      ['Mark complete', 'complete'],
    ]);
    expect(statusButtons[0]!.data).toEqual({
      ref: '1.1',
      planId: plan.id,
      version: 'W/"datetime\'2017-03-01T09%3A00%3A00Z\'"',
      status: 'blocked',
    });
  });

  it('the action card says the target as written and as a date, and how far off it is', () => {
    const text = textsOf(renderCard(sampleViews().find(([n]) => n === 'action')![1])).join('\n');
    expect(text).toContain('End Mar 2017 (31 March 2017) — due in 7 days');
    expect(text).toContain('Alex Owner and sam@justice.gov.uk (not yet reachable)');
    expect(text).toContain(
      '1 June 2017 · Alex Owner: status Not started → In progress — “Started drafting.”',
    );
  });
});

describe('the templates themselves', () => {
  it.each(Object.entries(CARD_TEMPLATES))('%s: schema 1.5 with its $schema', (_name, template) => {
    expect(template).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.5',
    });
  });

  it.each(Object.entries(CARD_TEMPLATES))(
    '%s: every Action.Execute names a verb from verbs.ts, every chart has a fallback',
    (_name, template) => {
      for (const n of nodes(template)) {
        if (n.type === 'Action.Execute') expect(VERBS).toContain(n.verb);
        if (typeof n.type === 'string' && n.type.startsWith('Chart.')) {
          expect(n.fallback).toEqual(expect.objectContaining({ type: 'TextBlock' }));
        }
      }
    },
  );

  it('every verb of verbs.ts is used by some card (no orphan routes)', () => {
    const used = new Set(
      Object.values(CARD_TEMPLATES).flatMap((t) => executes(t).map((a) => a.verb)),
    );
    // SHOW_HELP is on the welcome card; every other verb somewhere too.
    expect([...VERBS].filter((v) => !used.has(v))).toEqual([]);
  });
});

describe('no card over the size Teams takes', () => {
  const owners = Array.from({ length: 1500 }, (_, i) => `owner.number.${i}@justice.gov.uk`);
  const crowded = anAction({ ref: '1.1', owners });
  const view: CardView = {
    kind: 'action',
    plan,
    action: crowded,
    version: 'v1',
    owners: owners.map((email) => ({ email, reachable: false })),
    history: [],
    today: TODAY,
  };
  const bytes = (card: object) => Buffer.byteLength(JSON.stringify(card));

  it('a card over MAX_CARD_BYTES is drawn as the caller’s plain words instead', () => {
    const card = renderCard(view, { title: 'Action 1.1', text: 'Saved, in words.' });
    expect(bytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(textsOf(card)).toEqual(['Action 1.1', 'Saved, in words.']);
  });

  it('without words of the caller’s, as a notice that it was too long', () => {
    expect(textsOf(renderCard(view)).join(' ')).toContain('too long for one Teams message');
  });

  it('words too long themselves give way to that notice too', () => {
    const card = renderCard(view, { text: 'words '.repeat(20_000) });
    expect(bytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(textsOf(card).join(' ')).toContain('too long for one Teams message');
  });

  it('a card within the limit is drawn as it is, whatever the fallback', () => {
    const small: CardView = { ...view, action: anAction({ ref: '1.1' }), owners: [alex] };
    expect(renderCard(small, { text: 'unused' })).toEqual(renderCard(small));
    expect(textsOf(renderCard(small))).toContain('Alex Owner');
  });
});

describe('escapeCardText', () => {
  const ZW = '\u200b';

  it('breaks markdown links, so a friendly label cannot hide where it goes', () => {
    const escaped = escapeCardText('see [x](http://evil)');
    expect(escaped).toBe(`see [x]${ZW}(http://evil)`);
    expect(escaped).not.toMatch(/\]\(/);
  });

  it('breaks markdown images', () => {
    const escaped = escapeCardText('![i](http://x)');
    expect(escaped).not.toMatch(/!\[/);
    expect(escaped).not.toMatch(/\]\(/);
  });

  it('breaks reference links and their definitions', () => {
    expect(escapeCardText('[x][1]\n[1]: http://evil')).not.toMatch(/\]\[|\]:/);
  });

  it('makes template expressions inert', () => {
    expect(escapeCardText('${$root.secret}')).toBe(`$${ZW}{$root.secret}`);
  });

  it('stops angle brackets making mentions or autolinks', () => {
    expect(escapeCardText('<at>Ann</at> <http://x>')).not.toMatch(/<[a-z/]/);
  });

  it('drops control characters but keeps newlines and tabs', () => {
    expect(escapeCardText('a\u0000b\u0007c\td\r\ne')).toBe('abc\td\ne');
  });

  it('changes nothing people would see: only zero-width spaces are added', () => {
    const text = 'Done [x](http://evil) ![i](http://x) ${$root.secret} <b> 50% & more!';
    expect(escapeCardText(text).replace(/\u200b/g, '')).toBe(text);
  });

  it('leaves ordinary text alone', () => {
    const text = "Reviewing the 20-year rule – MoJ's approach (see also recommendation 5).";
    expect(escapeCardText(text)).toBe(text);
  });

  it('escapeData escapes deeply but leaves button payloads exactly as sent', () => {
    const data = escapeData({
      text: '[x](http://evil)',
      rows: [{ text: '${secret}', payload: { ref: '1.1', version: '${v}' } }],
      submitPayload: { note: '[x](y)' },
      count: 3,
      flag: true,
    });
    expect(data).toEqual({
      text: `[x]${ZW}(http://evil)`,
      rows: [{ text: `$${ZW}{secret}`, payload: { ref: '1.1', version: '${v}' } }],
      submitPayload: { note: '[x](y)' },
      count: 3,
      flag: true,
    });
  });
});

describe('typed text cannot inject markup into any card', () => {
  const hostile = {
    link: '[x](http://evil)',
    image: '![i](http://x)',
    template: '${$root.secret}',
  };
  const evilPlan = aPlan({
    title: `Plan ${hostile.template}`,
    recommendations: [{ number: '1', text: `Rec ${hostile.link}` }],
  });
  const evil = [
    anAction({
      ref: '1.1',
      text: `Do it ${hostile.link} ${hostile.image}`,
      note: `Note ${hostile.image} ${hostile.template}`,
      area: `Area ${hostile.template}`,
      owners: ['evil@x.gov.uk'],
      targetText: `${hostile.template}`,
    }),
  ];

  it.each(sampleViews(evilPlan, evil))('%s', (_name, view) => {
    const hostileView =
      view.kind === 'welcome'
        ? { ...view, name: `${hostile.link} Bob`, roleSummary: hostile.image }
        : view.kind === 'message'
          ? { ...view, text: hostile.link, details: [hostile.template] }
          : view.kind === 'status'
            ? {
                ...view,
                areas: [hostile.link],
                champions: [{ email: 'c@x.gov.uk', name: hostile.image, reachable: true }],
                people: new Map([
                  [
                    'evil@x.gov.uk',
                    { email: 'evil@x.gov.uk', name: hostile.link, reachable: true },
                  ],
                ]),
              }
            : view.kind === 'action'
              ? {
                  ...view,
                  owners: [{ email: 'evil@x.gov.uk', name: hostile.image, reachable: true }],
                  history: [
                    aHistoryEntry({ ref: '1.1', note: hostile.link, to: hostile.template }),
                  ],
                }
              : view;
    const json = JSON.stringify(renderCard(hostileView as CardView));
    expect(json).not.toContain('${');
    expect(json).not.toMatch(/\]\(/);
    expect(json).not.toMatch(/!\[/);
  });

  it('the hostile text still reads as typed', () => {
    const view = sampleViews(evilPlan, evil).find(([n]) => n === 'action')![1];
    const text = textsOf(renderCard(view)).join('\n');
    expect(text).toContain('Do it [x](http://evil) ![i](http://x)');
    expect(text).toContain('Note ![i](http://x) ${$root.secret}');
  });
});

describe('a navigation button carries a command as data', () => {
  it.each([
    [SHOW_ACTION, { ref: '4.9A', planId: 'p' }, { kind: 'action', ref: '4.9a' }],
    [SHOW_ACTION, { ref: 'rm -rf', planId: 'p' }, undefined],
    [MY_ACTIONS, { planId: 'p' }, { kind: 'myActions' }],
    [SHOW_STATUS, { planId: 'p' }, { kind: 'status' }],
    [SHOW_STATUS, { planId: 'p', area: 'HMPPS' }, { kind: 'status', area: 'HMPPS' }],
    // An area is an area, never words to read again: "Export Team" is not an export.
    [SHOW_STATUS, { planId: 'p', area: 'Export Team' }, { kind: 'status', area: 'Export Team' }],
    [SHOW_STATUS, { planId: 'p', area: 'Progress' }, { kind: 'status', area: 'Progress' }],
    [SHOW_STATUS, { planId: 'p', overall: true }, { kind: 'status', overall: true }],
    [SHOW_STATUS, { planId: 'p', area: ' ' }, { kind: 'status' }],
    [SHOW_STATUS, { planId: 'p', area: 42 }, undefined],
    [SHOW_STATUS, { planId: 'p', area: 'x'.repeat(101) }, undefined],
    ['showOverdue', {}, { kind: 'overdue' }],
    ['showPlan', {}, { kind: 'plan' }],
    ['showHelp', null, { kind: 'help' }],
    [SET_STATUS, { ref: '1.1' }, undefined],
    ['nonsense', {}, undefined],
  ])('%s %j → %j', (verb, data, command) =>
    expect(commandOfButton(verb, data)?.command).toEqual(command),
  );

  it('with the plan the card is about, when it says', () => {
    expect(commandOfButton(SHOW_PLAN, { planId: 'moj' })).toEqual({
      command: { kind: 'plan' },
      planId: 'moj',
    });
    expect(commandOfButton(SHOW_PLAN, {})).toEqual({ command: { kind: 'plan' } });
  });

  it('reads back what buttonData wrote, for every kind of button command', () => {
    const commands: ButtonCommand[] = [
      { kind: 'action', ref: '4.9a' },
      { kind: 'myActions' },
      { kind: 'status', area: 'Digest Unit' },
      { kind: 'status', overall: true },
      { kind: 'overdue' },
      { kind: 'plan' },
      { kind: 'help' },
    ];
    for (const command of commands) {
      const data = buttonData(command, 'moj');
      expect(commandOfButton(BUTTON_VERBS[command.kind], data)).toEqual({ command, planId: 'moj' });
    }
  });
});
