import { renderCard } from '../../../src/cards/render-card.js';
import {
  APPROVE_DATE,
  DECLINE_DATE,
  REASSIGN,
  REFRESH_ACTION,
  SNOOZE,
} from '../../../src/cards/verbs.js';
import type { CardView } from '../../../src/ports/card-renderer.js';
import { textsOf } from '../../helpers/bot-world.js';
import { anAction, aPlan } from '../../helpers/builders.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

type Json = Record<string, unknown>;
const nodes = (card: unknown): Json[] => {
  const out: Json[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    out.push(n as Json);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return out;
};
const executes = (card: unknown) => nodes(card).filter((n) => n.type === 'Action.Execute');
const titles = (card: unknown) => executes(card).map((n) => n.title);
const showCards = (card: unknown) =>
  nodes(card)
    .filter((n) => n.type === 'Action.ShowCard')
    .map((n) => n.title);

const VERSION = 'W/"datetime\'2017-06-20T10%3A00%3A00Z\'"';
const hostile = 'Reason [x](http://evil) ${$root.secret} <at>Bob</at>';

function view(overrides: Partial<Extract<CardView, { kind: 'action' }>> = {}): CardView {
  return {
    kind: 'action',
    plan: aPlan(),
    action: anAction({
      ref: '1.1',
      status: 'in_progress',
      area: 'HMPPS',
      targetText: 'End Jun 2017',
      updatedAt: '2017-06-20T10:00:00.000Z',
      updatedBy: 'alex.owner@justice.gov.uk',
      proposedTarget: {
        date: '2017-09-30',
        reason: hostile,
        by: 'alex.owner@justice.gov.uk',
        at: '2017-06-20T10:00:00.000Z',
      },
      snooze: {
        until: '2017-06-27',
        at: '2017-06-20T10:00:00.000Z',
        by: 'alex.owner@justice.gov.uk',
      },
    }),
    version: VERSION,
    owners: [{ email: 'alex.owner@justice.gov.uk', name: 'Alex Owner', reachable: true }],
    updatedByName: 'Alex Owner',
    history: [],
    today: '2017-06-20',
    banner: { tone: 'warning', text: `This card was out of date ${hostile}` },
    viewer: { canChange: true, isOwner: false, canDecide: true },
    refreshUserIds: ['29:alex', '29:priya'],
    ...overrides,
  };
}

describe('the action card, answering presses', () => {
  it('parses with the Adaptive Cards SDK with no complaint, with every part showing', () => {
    const card = new AC.AdaptiveCard();
    const context = new AC.SerializationContext();
    card.parse(renderCard(view()), context);
    const events = Array.from(
      { length: context.eventCount },
      (_, i) => context.getEventAt(i).message,
    );
    expect(events).toEqual([]);
    expect(card.validateProperties().validationEvents.map((e) => e.message)).toEqual([]);
  });

  it('says who updated it and when, what just happened, and that reminders are paused', () => {
    const text = textsOf(renderCard(view())).join('\n');
    expect(text).toContain('Updated by Alex Owner on 20 June 2017');
    expect(text).toContain('This card was out of date');
    expect(text).toContain('Paused until 27 June 2017');
    expect(text).toContain('Alex Owner proposed 30 September 2017');
  });

  it('keeps typed text inert: no template expression, link or mention survives', () => {
    const json = JSON.stringify(renderCard(view()));
    expect(json).not.toContain('${');
    expect(json).not.toContain('](http');
    expect(json).not.toContain('<at>');
    // …while the buttons' data comes back exactly as sent.
    for (const action of executes(renderCard(view()))) {
      if (action.verb !== REFRESH_ACTION) expect(action.data).toMatchObject({ version: VERSION });
    }
  });

  it('a champion\'s card decides the proposal and can reassign; it has no "not mine"', () => {
    const card = renderCard(view());
    expect(titles(card)).toEqual(
      expect.arrayContaining(['Approve new date', 'Decline', 'Reassign']),
    );
    expect(showCards(card)).not.toContain("This isn't mine");
    expect(
      executes(card).filter((a) => a.verb === APPROVE_DATE || a.verb === DECLINE_DATE),
    ).toHaveLength(2);
  });

  it("an owner's card has no decision buttons; a reader's changes nothing", () => {
    const owner = renderCard(
      view({ viewer: { canChange: true, isOwner: true, canDecide: false } }),
    );
    expect(titles(owner)).not.toContain('Approve new date');
    expect(showCards(owner)).toContain("This isn't mine");
    expect(executes(owner).some((a) => a.verb === REASSIGN)).toBe(false);
    const reader = renderCard(
      view({ viewer: { canChange: false, isOwner: false, canDecide: false } }),
    );
    expect(executes(reader).map((a) => a.verb)).toEqual([REFRESH_ACTION]);
    expect(nodes(reader).some((n) => n.type === 'Input.Text')).toBe(false);
  });

  it('offers three days, a week or a chosen day to be reminded, each with a fallback', () => {
    const snoozes = executes(renderCard(view())).filter((a) => a.verb === SNOOZE);
    expect(snoozes.map((a) => [a.title, (a.data as Json).for])).toEqual([
      ['In 3 days', '3d'],
      ['In a week', '1w'],
      ['Remind me then', 'date'],
    ]);
    for (const a of snoozes) {
      expect(a.fallback).toMatchObject({
        type: 'Action.Submit',
        data: { verb: SNOOZE, for: (a.data as Json).for },
      });
    }
  });

  it('refreshes for at most 60 users, and has no refresh at all for nobody', () => {
    const ids = Array.from({ length: 75 }, (_, i) => `29:user-${i}`);
    const many = renderCard(view({ refreshUserIds: ids }))['refresh'] as Json;
    expect(many['userIds']).toEqual(ids.slice(0, 60));
    expect(many['action']).toMatchObject({
      verb: REFRESH_ACTION,
      data: { ref: '1.1', planId: aPlan().id },
    });
    expect(renderCard(view({ refreshUserIds: [] }))).not.toHaveProperty('refresh');
    expect(renderCard(view({ refreshUserIds: undefined }))).not.toHaveProperty('refresh');
  });
});
