import { tableFromIPC, type Table } from 'apache-arrow';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** GETs an endpoint through inject and decodes its Arrow stream, checking the content type. */
export async function getArrow(app: FastifyInstance, url: string): Promise<Table> {
  const res = await app.inject({ method: 'GET', url });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
  return tableFromIPC(res.rawPayload);
}

/** Sum of a numeric column of an Arrow table. */
export function sumColumn(table: Table, column: string): number {
  let total = 0;
  for (const v of table.getChild(column)!) total += Number(v);
  return total;
}
