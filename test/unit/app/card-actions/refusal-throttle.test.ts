import { RefusalThrottle } from '../../../../src/app/card-actions/refusal-throttle.js';

const at = (minutes: number) => new Date(Date.UTC(2017, 5, 20, 10, minutes));

describe('RefusalThrottle', () => {
  it('allows the first five refusals of a person in ten minutes, then none until the oldest is out', () => {
    const throttle = new RefusalThrottle();
    const allowed = [0, 1, 2, 3, 4, 5, 6].map((m) => throttle.record('jo@x.example', at(m)));
    expect(allowed).toEqual([true, true, true, true, true, false, false]);
    // Ten minutes after the first, one place is free again.
    expect(throttle.record('jo@x.example', at(10))).toBe(true);
    expect(throttle.record('jo@x.example', at(10))).toBe(false);
  });

  it('counts each person apart', () => {
    const throttle = new RefusalThrottle(1, 10);
    expect(throttle.record('jo@x.example', at(0))).toBe(true);
    expect(throttle.record('sam@x.example', at(0))).toBe(true);
    expect(throttle.record('jo@x.example', at(1))).toBe(false);
  });

  it('remembers at most maxPeople, forgetting the longest quiet first', () => {
    const throttle = new RefusalThrottle(1, 10, 2);
    throttle.record('a', at(0));
    throttle.record('b', at(1));
    throttle.record('a', at(2)); // refused, and now the most recent
    throttle.record('c', at(3)); // b, the longest quiet, is forgotten
    expect(throttle.record('a', at(4))).toBe(false);
    expect(throttle.record('b', at(4))).toBe(true);
  });
});
