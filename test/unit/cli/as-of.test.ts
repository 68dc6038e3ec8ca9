import { InvalidArgumentError } from 'commander';
import { parseAsOf, resolveAsOf } from '../../../src/cli/as-of.js';

/** `--as-of`: one meaning for reminders, the digest and the export (src/cli/as-of.ts). */

const LONDON = { timeZone: 'Europe/London', sendAt: '09:00' };
const at = (text: string, setting = LONDON): string =>
  resolveAsOf(parseAsOf(text), setting).toISOString();

describe('a date given to --as-of', () => {
  it('is that day in the plan’s time zone, at the plan’s sending time', () => {
    expect(at('2017-03-22')).toBe('2017-03-22T09:00:00.000Z'); // GMT
    expect(at('2017-03-30')).toBe('2017-03-30T08:00:00.000Z'); // BST since 26 March
    expect(at('2017-04-03', { timeZone: 'Europe/London', sendAt: '08:30' })).toBe(
      '2017-04-03T07:30:00.000Z',
    );
  });

  it('stays that day however far from Greenwich the plan is', () => {
    // 09:00 on 30 November in Kiritimati (UTC+14) is still 29 November in UTC.
    expect(at('2026-11-30', { timeZone: 'Pacific/Kiritimati', sendAt: '09:00' })).toBe(
      '2026-11-29T19:00:00.000Z',
    );
    expect(at('2026-11-30', { timeZone: 'Pacific/Pago_Pago', sendAt: '09:00' })).toBe(
      '2026-11-30T20:00:00.000Z',
    );
  });
});

describe('a time given to --as-of', () => {
  it('is in the plan’s time zone when it has no offset, with a T or a space', () => {
    expect(at('2017-03-30T10:30')).toBe('2017-03-30T09:30:00.000Z');
    expect(at('2017-03-30 10:30:15')).toBe('2017-03-30T09:30:15.000Z');
  });

  it('is that instant when it has an offset, whatever the plan’s zone', () => {
    expect(at('2017-03-22T09:00:00Z')).toBe('2017-03-22T09:00:00.000Z');
    expect(at('2017-03-22T10:00:00+01:00', { timeZone: 'Asia/Tokyo', sendAt: '09:00' })).toBe(
      '2017-03-22T09:00:00.000Z',
    );
  });
});

describe('anything else', () => {
  it.each(['yesterday', '2017-02-30', '2017-13-01', '31/11/2026', '2017-03-22T25:00', ''])(
    '"%s" is refused, naming the forms there are',
    (text) => {
      expect(() => parseAsOf(text)).toThrow(InvalidArgumentError);
      expect(() => parseAsOf(text)).toThrow(/YYYY-MM-DD \(that day in the plan’s time zone/);
    },
  );
});
