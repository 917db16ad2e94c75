/**
 * Query and path parameter schemas shared by the routes, so every client mistake is refused with
 * a 400 by the schema before any query runs: integers within PostgreSQL's int4 (an id or version
 * above it made the database fail with a 500), dates that are real calendar dates.
 */
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.ts';

export const INT4_MAX = 2_147_483_647;

/** A whole number in [minimum, maximum], at most int4's maximum (also refuses 1e309 = Infinity). */
export const int4 = (minimum = 1, maximum = INT4_MAX) => ({ type: 'integer', minimum, maximum }) as const;

/** YYYY-MM-DD and a real date (ajv-formats' full `date`: month 1–12, the month's days, leap years). */
export const calendarDate = { type: 'string', format: 'date', maxLength: 10 } as const;

type PropertySchema = { type?: string; minimum?: number; maximum?: number };
const WHOLE = /^[+-]?\d{1,10}$/;

/**
 * A preValidation hook for every route: an integer query or path parameter must be written as a
 * plain whole number of at most 10 digits. The schema's coercion alone lets `1e309` through as
 * Infinity and a 100-digit number as a float, which reached the database as a 500.
 */
export async function integerParamGuard(req: FastifyRequest): Promise<void> {
  const schema = req.routeOptions.schema as
    | {
        querystring?: { properties?: Record<string, PropertySchema> };
        params?: { properties?: Record<string, PropertySchema> };
      }
    | undefined;
  for (const [where, values] of [
    ['querystring', req.query],
    ['params', req.params],
  ] as const) {
    const props = schema?.[where]?.properties;
    if (!props || !values || typeof values !== 'object') continue;
    for (const [name, p] of Object.entries(props)) {
      if (p.type !== 'integer') continue;
      const raw = (values as Record<string, unknown>)[name];
      if (raw === undefined) continue;
      for (const v of [raw].flat()) {
        if (!WHOLE.test(String(v))) {
          throw new HttpError(
            400,
            `${name} must be a whole number${p.minimum !== undefined ? ` from ${p.minimum}` : ''} up to ${p.maximum ?? INT4_MAX}, got "${String(v).slice(0, 40)}"`,
          );
        }
      }
    }
  }
}
