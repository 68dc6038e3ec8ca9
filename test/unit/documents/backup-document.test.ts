import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countsOf } from '../../../src/app/backup/create-backup.js';
import {
  BACKUP_FORMAT_VERSION,
  readBackupDocument,
  writeBackupDocument,
} from '../../../src/documents/backup-document.js';
import { isActionPlanError } from '../../../src/domain/errors.js';
import { FIXTURES } from '../../helpers/fixtures.js';

/**
 * The backup file: written with its format version and counts, read back whole, older versions
 * brought up to date (real files written by those versions), and anything this version cannot
 * keep whole refused with the record and field named.
 */

const fixture = (name: string): string => readFileSync(join(FIXTURES, 'backups', name), 'utf8');

/** The problems readBackupDocument lists for this document. */
function problemsOf(document: unknown): string[] {
  try {
    readBackupDocument(JSON.stringify(document));
  } catch (e) {
    if (isActionPlanError(e, 'invalid_input')) return [e.message, ...e.details];
    throw e;
  }
  throw new Error('It read.');
}

describe('reading a backup of format version 1', () => {
  it.each(['v1-first.json', 'v1-last.json'])(
    '%s: every record its writer counted is read',
    (name) => {
      const v1 = JSON.parse(fixture(name));
      expect(v1.formatVersion).toBe(1);
      expect(countsOf(readBackupDocument(fixture(name)).records)).toEqual(v1.counts);
    },
  );

  it('keeps each record as the old file had it, a plan’s records no longer nested in it', () => {
    const v1 = JSON.parse(fixture('v1-last.json'));
    const { records, createdAt } = readBackupDocument(fixture('v1-last.json'));
    expect(createdAt).toBe(v1.createdAt);
    expect(records.plans).toEqual([v1.plans[0].plan]);
    expect(records.actions).toEqual(v1.plans[0].actions);
    expect(records.deliveries).toEqual(v1.plans[0].deliveries);
    expect(records.people).toEqual(v1.people);
    expect(records.digestSubscriptions).toEqual(v1.digestSubscriptions);
  });

  it('refuses what a version 1 plan held that this version does not keep, rather than drop it', () => {
    // Version 1 allowed snoozes kept apart from a plan's actions, and an action's list could be
    // spoiled into something else: neither is lost quietly on the way up.
    const v1 = JSON.parse(fixture('v1-first.json'));
    v1.plans[0].snoozes = [{ ref: '1.1', until: '2017-03-01' }];
    v1.plans[0].areas = { name: 'HMPPS' };
    expect(problemsOf(v1)).toEqual([
      'The backup cannot be restored: 3 problems. Nothing was changed.',
      'snoozes: a kind of record this version of the bot does not know.',
      'areas[0] (area "HMPPS" of plan ?): planId is missing.',
      'areas[0] (area "HMPPS" of plan ?): champions is missing.',
    ]);
  });

  it('says where a record of an old file is wrong, by the record', () => {
    const v1 = JSON.parse(fixture('v1-first.json'));
    v1.plans[0].actions[0].priority = 'urgent';
    expect(problemsOf(v1)).toEqual([
      'The backup cannot be restored: one problem. Nothing was changed.',
      `actions[0] (action 1.1 of plan "ministry-of-justice-ima-action-plan"): priority "urgent" is not one of H, M, L.`,
    ]);
  });
});

describe('the current format', () => {
  const current = () => readBackupDocument(fixture('v1-last.json'));

  it('is written with its version and counts, and reads back as it was', () => {
    const text = writeBackupDocument(current());
    const json = JSON.parse(text);
    expect(json).toMatchObject({
      format: 'actionplan-backup',
      formatVersion: BACKUP_FORMAT_VERSION,
      counts: { plans: 1, actions: 42, deliveries: 1 },
    });
    expect(readBackupDocument(text)).toEqual(current());
  });

  it('reads a file without a kind of record as one that kept none of it', () => {
    const json = JSON.parse(writeBackupDocument(current()));
    delete json.records.sentCards;
    expect('sentCards' in readBackupDocument(JSON.stringify(json)).records).toBe(false);
  });

  it('refuses a kind of record or a field it does not know, rather than drop it', () => {
    const json = JSON.parse(writeBackupDocument(current()));
    json.records.teamRosters = [];
    json.records.plans[0].colour = 'teal';
    expect(problemsOf(json)).toEqual([
      'The backup cannot be restored: 2 problems. Nothing was changed.',
      'teamRosters: a kind of record this version of the bot does not know.',
      'plans[0] (plan "ministry-of-justice-ima-action-plan"): colour is a field this version of the bot does not know.',
    ]);
  });

  it('refuses a newer format, and a kind that is not a list', () => {
    const json = JSON.parse(writeBackupDocument(current()));
    expect(problemsOf({ ...json, formatVersion: BACKUP_FORMAT_VERSION + 1 })[0]).toMatch(
      /made by a newer version of the bot/,
    );
    expect(problemsOf({ ...json, records: { ...json.records, people: {} } })).toContain(
      'people is not a list.',
    );
  });
});
