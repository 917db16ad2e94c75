/**
 * One CSV record on one line (RFC 4180 quoting, comma separator): a case record never spans
 * lines, since none of its fields may hold a line break. Pure. A quote opened and not closed on
 * the line, or text after a closing quote, makes the line unreadable; the caller rejects that line
 * alone and reads on from the next one.
 */
export type LineFields = { ok: true; fields: string[] } | { ok: false; reason: string };

export function splitCsvLine(line: string): LineFields {
  if (!line.includes('"')) return { ok: true, fields: line.split(',') };
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          return {
            ok: false,
            reason: `field ${fields.length + 1} opens a quote at column ${i + 1} that is not closed on this line (a case record is one line; no field may hold a line break)`,
          };
        }
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === line.length) return { ok: true, fields };
      if (line.charCodeAt(i) !== 44)
        return { ok: false, reason: `field ${fields.length} has text after its closing quote (column ${i + 1})` };
      i++;
    } else {
      // An unquoted field runs to the next comma; a quote inside it is kept as text (the validator rejects it).
      const c = line.indexOf(',', i);
      if (c < 0) {
        fields.push(line.slice(i));
        return { ok: true, fields };
      }
      fields.push(line.slice(i, c));
      i = c + 1;
    }
  }
}
