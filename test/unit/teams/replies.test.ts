import { ActionPlanError } from '../../../src/domain/errors.js';
import {
  failureText,
  GENERIC_FAILURE,
  MAX_REPLY_BYTES,
  replyActivity,
  STORAGE_UNAVAILABLE,
  TOO_LONG_NOTE,
} from '../../../src/teams/replies.js';

const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('replyActivity', () => {
  it('sends text and a card as one message, the card as an Adaptive Card attachment', () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [] };
    expect(replyActivity({ text: 'Done.', card })).toEqual({
      type: 'message',
      text: 'Done.',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    });
  });

  it('sends nothing for an empty reply', () => {
    expect(replyActivity({})).toBeUndefined();
  });

  it('drops a card too large for Teams and says so', () => {
    const card = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'x'.repeat(100_000) }] };
    const activity = replyActivity({ card });
    expect(activity).toEqual({ type: 'message', text: TOO_LONG_NOTE });
  });

  it('cuts text too large for Teams, keeping its start and staying under the limit', () => {
    // Multi-byte characters and a surrogate pair at every position: the cut must not split one.
    const text = `Overdue: ${'é😀'.repeat(40_000)}`;
    const activity = replyActivity({ text });
    expect(size(activity)).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    expect(activity?.text?.startsWith('Overdue: é😀')).toBe(true);
    expect(activity?.text).toContain(`…\n\n${TOO_LONG_NOTE}`);
    expect(activity?.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('leaves a reply just under the limit alone', () => {
    const text = 'a'.repeat(MAX_REPLY_BYTES - 100);
    expect(replyActivity({ text })).toEqual({ type: 'message', text });
  });
});

describe('failureText', () => {
  it('passes on what the app says, and says only sorry for anything else', () => {
    expect(
      failureText(new ActionPlanError('not_found', 'There is no action 9.9 in the plan.')),
    ).toBe('There is no action 9.9 in the plan.');
    expect(
      failureText(new ActionPlanError('storage_unavailable', 'Storage is not answering…')),
    ).toBe(STORAGE_UNAVAILABLE);
    const bug = new TypeError("Cannot read properties of undefined (reading 'owners')");
    expect(failureText(bug)).toBe(GENERIC_FAILURE);
    expect(failureText('a string thrown')).toBe(GENERIC_FAILURE);
  });
});
