import { overdueActions } from '../../../src/domain/progress.js';
import { ragOf } from '../../../src/domain/rag.js';
import { anAction } from '../../helpers/builders.js';

const TODAY = '2017-06-20';
const rag = (actions: ReturnType<typeof anAction>[]) =>
  ragOf(actions, overdueActions(actions, TODAY));
/** Open, due well after TODAY. */
const onTrack = (ref: string, priority: 'H' | 'M' | 'L' = 'M') =>
  anAction({ ref, priority, targetText: 'End Dec 2017', status: 'in_progress' });
const late = (ref: string, priority: 'H' | 'M' | 'L') =>
  anAction({ ref, priority, targetText: 'End Mar 2017', status: 'in_progress' });

describe('RAG rating', () => {
  it('is red when a high-priority action is overdue, however few are', () => {
    const actions = [
      late('1.1', 'H'),
      ...['1.2', '1.3', '1.4', '1.5', '1.6'].map((r) => onTrack(r)),
    ];
    expect(rag(actions)).toEqual({
      rating: 'red',
      reasons: ['1 high-priority action overdue (1.1)'],
    });
  });

  it('is red when more than 25% of open actions are overdue, even at low priority', () => {
    // 2 of 7 open = 28.6% overdue; done actions do not count as open.
    const actions = [
      late('1.1', 'L'),
      late('1.2', 'M'),
      ...['1.3', '1.4', '1.5', '1.6', '1.7'].map((r) => onTrack(r)),
      anAction({ ref: '2.1', status: 'complete', targetText: 'End Mar 2017' }),
    ];
    expect(rag(actions)).toEqual({
      rating: 'red',
      reasons: ['29% of open actions overdue (2 of 7)'],
    });
  });

  it('is amber at exactly 25% overdue with none high priority, and when anything is blocked', () => {
    const quarter = [late('1.1', 'M'), ...['1.2', '1.3', '1.4'].map((r) => onTrack(r))];
    expect(rag(quarter)).toEqual({ rating: 'amber', reasons: ['1 action overdue'] });
    const blocked = [
      onTrack('1.1'),
      anAction({ ref: '1.2', status: 'blocked', targetText: 'End Dec 2017' }),
    ];
    expect(rag(blocked)).toEqual({ rating: 'amber', reasons: ['1 action blocked'] });
  });

  it('is green with nothing overdue or blocked, and with nothing open', () => {
    expect(rag([onTrack('1.1', 'H'), anAction({ ref: '1.2', targetText: 'Ongoing' })])).toEqual({
      rating: 'green',
      reasons: ['Nothing overdue or blocked'],
    });
    expect(rag([anAction({ status: 'closed' })])).toEqual({
      rating: 'green',
      reasons: ['Nothing open'],
    });
    expect(rag([])).toEqual({ rating: 'green', reasons: ['Nothing open'] });
  });

  it('does not count a done high-priority action past its date', () => {
    expect(
      rag([anAction({ priority: 'H', status: 'complete', targetText: 'End Mar 2017' })]).rating,
    ).toBe('green');
  });
});
