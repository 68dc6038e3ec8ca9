import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../../src/ports/clock';
import { useTestAzurite } from '../../helpers/azurite';
import { cliAgainst } from '../../helpers/cli-driver';
import { FIXTURES } from '../../helpers/fixtures';

/**
 * Backups written by earlier versions of the bot (test/fixtures/backups, which says how each was
 * made) restore into empty storage with nothing lost: a backup taken straight afterwards, in the
 * current format, holds exactly the old file's records.
 */

const azurite = useTestAzurite();
const clock = fixedClock('2026-12-05T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'actionplan-backup-versions-'));

describe.each(['v1-first.json', 'v1-last.json'])('a format version 1 backup: %s', (name) => {
  const file = join(FIXTURES, 'backups', name);
  const old = JSON.parse(readFileSync(file, 'utf8'));
  const plans: { plan: unknown; actions: unknown[]; areas: unknown[]; history: unknown[] }[] =
    old.plans;

  it('restores into empty storage, and backs up again to the same records', async () => {
    const cli = cliAgainst(azurite.connectionString, clock);
    const restored = await cli.run('restore', file);
    expect(restored).toMatchObject({ code: 0, err: '' });
    expect(restored.out).toMatch(/^Restored .*: 1 plan, 42 actions, \d areas?, 46 history entries/);

    const again = join(dir, `again-${name}`);
    expect((await cli.run('backup', '--out', again)).code).toBe(0);
    const now = JSON.parse(readFileSync(again, 'utf8'));
    expect(now.formatVersion).toBe(2);
    expect(now.records).toEqual({
      plans: plans.map((p) => p.plan),
      actions: plans.flatMap((p) => p.actions),
      areas: plans.flatMap((p) => p.areas),
      history: plans.flatMap((p) => p.history),
      people: old.people,
      conversations: old.conversations,
      // Kinds the old deployment kept none of are empty now, not absent: this one keeps them.
      sentCards: old.sentCards ?? [],
      deliveries: old.plans[0].deliveries ?? [],
      digestSubscriptions: old.digestSubscriptions ?? [],
    });

    // And the bot reads them as it did: 4.9a is in progress with its note, its owners assigned.
    const shown = await cli.run('show', '4.9a');
    expect(shown.out).toContain('Champions briefed.');
    expect(shown.out).toContain('kim.lead@justice.gov.uk');
  });
});
