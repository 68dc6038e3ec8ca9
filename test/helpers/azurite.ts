import { randomBytes } from 'node:crypto';
import { type EmbeddedAzurite, startEmbeddedAzurite } from '../../src/storage/embedded-azurite.js';
import { forAllTests } from './for-all-tests.js';

/** An in-memory Azurite for one test file: start it in beforeAll, stop it in afterAll. */
export function startTestAzurite(): Promise<EmbeddedAzurite> {
  return startEmbeddedAzurite({ inMemory: true });
}

/** An in-memory Azurite for the tests of the file (or describe block) that calls this. */
export function useTestAzurite(): EmbeddedAzurite {
  return forAllTests(startTestAzurite, (azurite) => azurite.stop());
}

/**
 * A table name no other test uses (letters and digits, starting with a letter, 3–63 characters),
 * so tests sharing one Azurite never see each other's records.
 */
export function freshTableName(prefix = 'test'): string {
  return `${prefix}${randomBytes(8).toString('hex')}`;
}
