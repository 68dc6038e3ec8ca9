import {
  ACTION_VERB_HANDLERS,
  IMPORT_VERB_HANDLERS,
  invokeBody,
  UNKNOWN_BUTTON,
} from '../../../src/teams/card-action-route.js';
import {
  ACTION_VERBS,
  commandOfButton,
  IMPORT_VERBS,
  NAVIGATION_VERBS,
  VERBS,
} from '../../../src/cards/verbs.js';

describe('the card buttons route', () => {
  it('answers every verb of verbs.ts: navigation as a command, the rest by a use case', () => {
    for (const verb of VERBS) {
      const navigation = (NAVIGATION_VERBS as readonly string[]).includes(verb);
      const handled = verb in ACTION_VERB_HANDLERS || verb in IMPORT_VERB_HANDLERS;
      expect([verb, navigation || handled]).toEqual([verb, true]);
      if (navigation) {
        expect(commandOfButton(verb, { planId: 'p', ref: '4.9a' })).toEqual({
          command: expect.objectContaining({ kind: expect.any(String) }),
          planId: 'p',
        });
      }
    }
    expect(Object.keys(ACTION_VERB_HANDLERS).sort()).toEqual([...ACTION_VERBS].sort());
    expect(Object.keys(IMPORT_VERB_HANDLERS).sort()).toEqual([...IMPORT_VERBS].sort());
  });

  it('answers an invoke with the card, or with a message', () => {
    const card = { type: 'AdaptiveCard', version: '1.5' };
    expect(invokeBody({ card })).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: card,
    });
    expect(invokeBody({ text: 'Nothing has changed.' })).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Nothing has changed.',
    });
    expect(invokeBody({})).toMatchObject({ value: UNKNOWN_BUTTON });
  });
});
