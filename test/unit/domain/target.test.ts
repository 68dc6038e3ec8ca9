import { parseTarget } from '../../../src/domain/target';

describe('parseTarget', () => {
  it.each([
    ['End Mar 2017', '2017-03-31'],
    ['Mar 2017', '2017-03-31'],
    ['Mar2017', '2017-03-31'],
    ['March 2017', '2017-03-31'],
    ['End of March 2017', '2017-03-31'],
    ['End Feb 2017', '2017-02-28'],
    ['Feb 2016', '2016-02-29'],
    ['June 2017', '2017-06-30'],
    ['Sept 2017', '2017-09-30'],
    ['Sep 2017', '2017-09-30'],
    ['End 2016', '2016-12-31'],
    ['30 Sept 2016', '2016-09-30'],
    ['30th September 2016', '2016-09-30'],
    ['1\u00a0Mar\u00a02017', '2017-03-01'],
    ['31/03/2027', '2027-03-31'],
    ['1/4/2027', '2027-04-01'],
    ['31.03.27', '2027-03-31'],
    ['2027-03-31', '2027-03-31'],
  ])('resolves %p to %s', (text, date) => {
    expect(parseTarget(text)).toEqual({ kind: 'date', text: text.replace(/\u00a0/g, ' '), date });
  });

  it.each(['Ongoing', 'ongoing', 'On-going', ' Ongoing '])('treats %p as ongoing', (text) => {
    expect(parseTarget(text)).toEqual({ kind: 'ongoing', text: text.trim() });
  });

  it.each(['Q1 2017', 'TBC', 'Spring 2017', '31/02/2017', '13/13/2017', 'Smarch 2017', '', 'asap'])(
    'keeps %p verbatim as unresolved, never guessing',
    (text) => {
      expect(parseTarget(text)).toEqual({ kind: 'unresolved', text: text.trim() });
    },
  );

  it('reads day-first dates the UK way: 04/03/2027 is 4 March, not 3 April', () => {
    expect(parseTarget('04/03/2027')).toMatchObject({ date: '2027-03-04' });
  });
});
