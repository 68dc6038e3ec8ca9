import { ActionPlanError } from '../domain/errors.js';
import type { Versioned } from '../domain/plan.js';
import {
  recordsExpiredBefore,
  type PendingImport,
  type PendingImportRepository,
} from '../ports/pending-imports.js';

/**
 * Previewed files in memory, for tests and throw-away runs. Not for more than one instance: a
 * press that lands on another instance, or after a restart, would find nothing.
 */
export class InMemoryPendingImports implements PendingImportRepository {
  private readonly records = new Map<string, Versioned<PendingImport>>();
  private readonly files = new Map<string, Uint8Array>();
  private nextVersion = 1;

  create(record: PendingImport, file: Uint8Array): Promise<void> {
    if (this.records.has(record.id)) {
      return Promise.reject(
        new ActionPlanError('already_exists', `A preview ${record.id} exists already.`),
      );
    }
    this.files.set(record.id, Uint8Array.from(file));
    this.records.set(record.id, { value: record, version: this.version() });
    return Promise.resolve();
  }

  get(id: string): Promise<Versioned<PendingImport> | undefined> {
    return Promise.resolve(this.records.get(id));
  }

  readFile(id: string): Promise<Uint8Array | undefined> {
    const file = this.files.get(id);
    return Promise.resolve(file && Uint8Array.from(file));
  }

  update(record: PendingImport, version: string): Promise<string> {
    const stored = this.records.get(record.id);
    if (!stored || stored.version !== version) {
      return Promise.reject(
        new ActionPlanError(
          'conflict',
          `The preview of ${record.fileName} was changed by someone else.`,
        ),
      );
    }
    const next = this.version();
    this.records.set(record.id, { value: record, version: next });
    return Promise.resolve(next);
  }

  dropFile(id: string): Promise<void> {
    this.files.delete(id);
    return Promise.resolve();
  }

  forgetExpired(now: Date): Promise<number> {
    let dropped = 0;
    const forgetBefore = recordsExpiredBefore(now).getTime();
    for (const { value } of [...this.records.values()]) {
      const expiry = Date.parse(value.expiresAt);
      if (expiry >= now.getTime()) continue;
      if (this.files.delete(value.id)) dropped++;
      if (expiry < forgetBefore) this.records.delete(value.id);
    }
    return Promise.resolve(dropped);
  }

  private version(): string {
    return `v${this.nextVersion++}`;
  }
}
