import { renderCard } from '../../../src/cards/render-card.js';
import {
  ADD_NOTE,
  NOT_MINE,
  PROPOSE_DATE,
  SET_STATUS,
  SNOOZE,
  VERBS,
} from '../../../src/cards/verbs.js';
import type { Action } from '../../../src/domain/plan.js';
import type { CardView, PersonView, ReminderReason } from '../../../src/ports/card-renderer.js';
import { anAction, aPlan } from '../../helpers/builders.js';
import { textsOf } from '../../helpers/bot-world.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

const plan = aPlan();
const alex: PersonView = {
  email: 'alex.owner@justice.gov.uk',
  name: 'Alex Owner',
  reachable: true,
};
const action = anAction({
  ref: '1.1',
  targetText: 'End Mar 2017',
  status: 'in_progress',
  area: 'HMPPS',
  note: 'Draft goals agreed with the board.',
});

function view(reason: Partial<ReminderReason>, a: Action = action, today = '2017-03-22'): CardView {
  return {
    kind: 'reminder',
    plan,
    action: a,
    version: 'W/"v7"',
    reason: { kind: 'before', role: 'owner', ...reason },
    owners: [alex],
    today,
  };
}

type Json = Record<string, unknown>;
function executes(card: unknown): Json[] {
  const out: Json[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Json;
    if (o.type === 'Action.Execute') out.push(o);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}
const text = (v: CardView) => textsOf(renderCard(v)).join('\n');

describe('the reminder card', () => {
  it('shows the ref, text, recommendation, target as written and as a date, how far off, status and last note', () => {
    const t = text(view({ kind: 'before', workingDaysBefore: 7 }));
    expect(t).toContain('Action 1.1 is due in 9 days');
    expect(t).toContain('7 working days away');
    expect(t).toContain('Action 1.1');
    expect(t).toContain('Recommendation 1: The Ministry of Justice (MoJ) should ensure');
    expect(t).toContain('End Mar 2017 (31 March 2017) — due in 9 days');
    expect(t).toContain('In progress');
    expect(t).toContain('Draft goals agreed with the board.');
    expect(t).toContain('Alex Owner');
  });

  it('says how overdue, and words each kind', () => {
    expect(text(view({ kind: 'overdue' }, action, '2017-04-03'))).toContain(
      'Action 1.1 is 3 days overdue',
    );
    expect(text(view({ kind: 'due_today' }, action, '2017-03-31'))).toContain(
      'Action 1.1 is due today',
    );
    expect(text(view({ kind: 'snoozed' }))).toContain('You asked me to remind you: action 1.1');
    expect(text(view({ kind: 'check_in' }, anAction({ targetText: 'Ongoing' })))).toContain(
      'Monthly check-in: action 1.1',
    );
    expect(
      text(view({ kind: 'check_in' }, anAction({ targetText: 'when funds allow' }))),
    ).toContain('is not a date I can track');
    expect(text(view({ kind: 'escalation', role: 'champion' }, action, '2017-04-14'))).toContain(
      "I'm telling you as its KIM Champion: it is 14 days overdue and still open. Owner: Alex Owner.",
    );
    expect(text(view({ kind: 'escalation', role: 'admin' }, action, '2017-04-14'))).toContain(
      'Its area has no KIM Champion',
    );
    expect(
      text(
        view({ kind: 'unreachable_owner', role: 'champion', about: { ...alex, reachable: false } }),
      ),
    ).toContain("I can't reach Alex Owner. Teams refused my reminder");
  });

  it('says why the owner cannot be reached when it is known, not that Teams refused', () => {
    const why =
      '2 Teams accounts have the address alex.owner@justice.gov.uk, so the bot does not guess which one is meant.';
    const said = text(
      view({
        kind: 'unreachable_owner',
        role: 'champion',
        about: { ...alex, reachable: false, why },
      }),
    );
    expect(said).toContain(`I can't reach Alex Owner. ${why}`);
    expect(said).not.toContain('Teams refused');
  });

  it('says when it is late', () => {
    expect(text(view({ caughtUp: true }))).toContain("I couldn't send it on the day it was due");
    expect(text(view({}))).not.toContain("couldn't send it");
  });

  it('has the action card’s buttons, each with a verb from verbs.ts and the action’s ref, plan and version', () => {
    const buttons = executes(renderCard(view({})));
    expect(buttons.map((b) => b.verb)).toEqual([
      SET_STATUS,
      SET_STATUS,
      ADD_NOTE,
      PROPOSE_DATE,
      SNOOZE,
      NOT_MINE,
    ]);
    for (const b of buttons) {
      expect(VERBS).toContain(b.verb);
      expect(b.data).toMatchObject({ ref: '1.1', planId: plan.id, version: 'W/"v7"' });
      expect(b.fallback).toMatchObject({ type: 'Action.Submit' });
    }
  });

  it('champions and admins get no "remind me later" or "this isn’t mine"; done actions no snooze', () => {
    const champion = executes(renderCard(view({ kind: 'escalation', role: 'champion' })));
    expect(champion.map((b) => b.verb)).not.toContain(SNOOZE);
    expect(champion.map((b) => b.verb)).not.toContain(NOT_MINE);
    const done = executes(renderCard(view({}, { ...action, status: 'complete' })));
    expect(done.map((b) => b.verb)).not.toContain(SNOOZE);
  });

  it('is schema 1.5, parses cleanly, leaves no ${ behind, and stays small', () => {
    const long = { ...action, text: 'x'.repeat(5000), note: '${$root.secret} [link](http://evil)' };
    const card = renderCard(view({ kind: 'overdue' }, long, '2017-04-10'));
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    const json = JSON.stringify(card);
    expect(json).not.toContain('${');
    expect(json).not.toContain('](http');
    expect(Buffer.byteLength(json)).toBeLessThan(40 * 1024);
    const parsed = new AC.AdaptiveCard();
    const context = new AC.SerializationContext();
    parsed.parse(card, context);
    expect(context.eventCount).toBe(0);
  });
});
