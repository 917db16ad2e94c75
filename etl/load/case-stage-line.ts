/** The staging table of a case load and one of its rows in COPY text format. */
import { STAGES, type CaseRecord } from '../parse/case-csv.ts';
import { copyField } from './case-copy.ts';

export const STAGE_COLUMNS = STAGES.map((s) => `${s}_at`);
export const STAGE_TARGET = `case_stage (line, case_id, item_code, sub_item_code, ${STAGE_COLUMNS.join(', ')}, started_at, outcome, fine_yuan, persons, synthetic)`;

export const CREATE_STAGE = `
  CREATE TEMP TABLE case_stage (
    line int NOT NULL, case_id text NOT NULL, item_code text NOT NULL, sub_item_code text,
    ${STAGE_COLUMNS.map((c) => `${c} timestamptz`).join(', ')},
    started_at timestamptz NOT NULL, outcome text NOT NULL, fine_yuan numeric(14, 2), persons int, synthetic boolean NOT NULL
  ) ON COMMIT DROP;
  CREATE TEMP TABLE case_reject_stage (line int NOT NULL, field text NOT NULL, value text NOT NULL, reason text NOT NULL) ON COMMIT DROP;`;

/** One staging row in COPY text format. Validated values cannot hold tabs or newlines; copyField guards anyway. */
export function stageLine(c: CaseRecord): string {
  const t = c.times;
  const started = t.received ?? t.accepted;
  let line = `${c.line}\t${copyField(c.case_id)}\t${copyField(c.item_code)}\t${copyField(c.sub_item_code)}`;
  for (const st of STAGES) line += `\t${t[st] ?? '\\N'}`;
  return `${line}\t${started}\t${c.outcome}\t${c.fine_yuan ?? '\\N'}\t${c.persons ?? '\\N'}\t${c.synthetic ? 't' : 'f'}\n`;
}
