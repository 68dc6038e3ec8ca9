import { compareRefs, normaliseRef, recommendationOf } from '../../../src/domain/action-ref';
import { parsePriority } from '../../../src/domain/priority';
import { isDone, parseStatus } from '../../../src/domain/status';

describe('action refs', () => {
  it('normalises what people and files write', () => {
    expect(normaliseRef('4.9A')).toBe('4.9a');
    expect(normaliseRef(' 1.1\u00a0')).toBe('1.1');
    expect(normaliseRef('01.02')).toBe('1.2');
    expect(normaliseRef('2.6.')).toBe('2.6');
    expect(normaliseRef('Ref')).toBeUndefined();
    expect(normaliseRef('4.9ab')).toBeUndefined();
    expect(normaliseRef('')).toBeUndefined();
  });

  it('sorts naturally', () => {
    const refs = ['4.10', '4.9b', '1.10', '4.9', '1.2', '4.9a', '10.1'];
    expect([...refs].sort(compareRefs)).toEqual([
      '1.2',
      '1.10',
      '4.9',
      '4.9a',
      '4.9b',
      '4.10',
      '10.1',
    ]);
  });

  it('knows its recommendation', () => {
    expect(recommendationOf('4.9a')).toBe('4');
  });
});

describe('status and priority words', () => {
  it.each([
    ['', 'not_started'],
    ['In progress', 'in_progress'],
    ['in-progress', 'in_progress'],
    ['Complete', 'complete'],
    ['Completed', 'complete'],
    ['Closed', 'closed'],
    ['On hold', 'blocked'],
    ['BLOCKED', 'blocked'],
  ])('reads status %p as %s', (text, status) => {
    expect(parseStatus(text)).toBe(status);
  });

  it('does not guess an unknown status', () => {
    expect(parseStatus('Amber')).toBeUndefined();
  });

  it('counts complete and closed as done, nothing else', () => {
    expect([
      isDone('complete'),
      isDone('closed'),
      isDone('in_progress'),
      isDone('blocked'),
    ]).toEqual([true, true, false, false]);
  });

  it.each([
    ['H', 'H'],
    ['High', 'H'],
    ['med', 'M'],
    ['Medium', 'M'],
    ['low', 'L'],
  ])('reads priority %p as %s', (text, p) => {
    expect(parsePriority(text)).toBe(p);
  });

  it('does not guess an unknown priority', () => {
    expect(parsePriority('Urgent')).toBeUndefined();
  });
});
