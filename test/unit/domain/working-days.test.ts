import {
  ENGLAND_AND_WALES,
  isHolidayRegion,
  workingDaysFor,
} from '../../../src/calendar/bank-holidays.js';
import { addDays, weekendsOnly } from '../../../src/domain/working-days.js';

const ew = workingDaysFor(ENGLAND_AND_WALES);

describe('working days in England and Wales', () => {
  it('skips weekends', () => {
    expect(ew.isWorkingDay('2017-03-24')).toBe(true); // Friday
    expect(ew.isWorkingDay('2017-03-25')).toBe(false);
    expect(ew.isWorkingDay('2017-03-26')).toBe(false);
    expect(ew.onOrAfter('2017-03-25')).toBe('2017-03-27');
    expect(ew.onOrBefore('2017-03-26')).toBe('2017-03-24');
  });

  it('skips Easter 2017: Good Friday 14 April and Easter Monday 17 April', () => {
    expect(ew.isWorkingDay('2017-04-13')).toBe(true);
    expect(ew.isWorkingDay('2017-04-14')).toBe(false);
    expect(ew.isWorkingDay('2017-04-17')).toBe(false);
    expect(ew.before('2017-04-18', 1)).toBe('2017-04-13');
    expect(ew.after('2017-04-13', 1)).toBe('2017-04-18');
    expect(ew.between('2017-04-13', '2017-04-18')).toBe(1);
  });

  it('skips Christmas 2016 with its substitute day, and the 2017 New Year substitute', () => {
    expect(ew.isWorkingDay('2016-12-26')).toBe(false); // Boxing Day
    expect(ew.isWorkingDay('2016-12-27')).toBe(false); // substitute for Christmas Day (a Sunday)
    expect(ew.isWorkingDay('2016-12-28')).toBe(true);
    expect(ew.isWorkingDay('2017-01-02')).toBe(false);
    expect(ew.before('2016-12-28', 1)).toBe('2016-12-23');
  });

  it('counts observances such as Mother’s Day as ordinary days, and knows one-off bank holidays', () => {
    expect(ew.isWorkingDay('2017-03-27')).toBe(true);
    expect(ew.isWorkingDay('2022-09-19')).toBe(false); // the State Funeral
    expect(ew.isWorkingDay('2020-05-08')).toBe(false); // VE Day, moved from 4 May
    expect(ew.isWorkingDay('2020-05-04')).toBe(true);
  });

  it('counts back across month ends: 14 working days before 31 March 2017 is 13 March', () => {
    expect(ew.before('2017-03-31', 14)).toBe('2017-03-13');
    expect(ew.before('2017-03-31', 0)).toBe('2017-03-31');
    // 30 April 2017 is a Sunday: "on the day" is the Friday before.
    expect(ew.before('2017-04-30', 0)).toBe('2017-04-28');
    expect(addDays('2017-02-28', 1)).toBe('2017-03-01');
  });

  it('other regions, none, and unknown ones', () => {
    expect(workingDaysFor('GB-SCT').isWorkingDay('2017-01-02')).toBe(false);
    expect(workingDaysFor('GB-SCT').isWorkingDay('2017-04-17')).toBe(true); // no Easter Monday in Scotland
    expect(workingDaysFor('none')).toBe(weekendsOnly);
    expect(weekendsOnly.isWorkingDay('2017-04-14')).toBe(true);
    expect(isHolidayRegion('GB-ENG')).toBe(true);
    expect(isHolidayRegion('GB-XYZ')).toBe(false);
    expect(isHolidayRegion('Narnia')).toBe(false);
  });
});
