import { z } from 'zod';

/**
 * The building blocks of every stored record's schema (plan.ts, the ports' records). A record is
 * defined once, as a zod schema: its TypeScript type is inferred from it, the storage adapters
 * map it to and from table entities by it, and a backup is checked by it. Each check carries the
 * plain words a person reads when a value fails it (record-problems.ts puts them together).
 */

/** A record: exactly these fields (a field it does not name is refused, never dropped). */
export const record = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape).readonly();

/** A list that is read, never changed in place. */
export const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

/** Text that may be empty. */
export const anyText = z.string();

/** Text that must say something: an id, a name, a key. */
export const someText = z.string().min(1, { error: 'is empty' });

/** An ISO 8601 instant ("2017-03-22T09:00:00.000Z"). */
export const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
  error: 'is not a date and time',
});

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day, YYYY-MM-DD. */
export const isoDay = z.string().regex(ISO_DAY, { error: 'is not YYYY-MM-DD' });

/** A whole number of zero or more (counts, days). */
export const count = z.number().int({ error: 'is not a whole number' }).min(0, {
  error: 'is less than 0',
});

/** A record's schema, as code that only checks records with it needs to know it. */
export type RecordSchema<T> = z.ZodType<T>;
