import { el } from './dom.ts';

/**
 * Chinese for the English messages the parser, the case validator and the server send (their
 * logs stay English). Known message shapes are rewritten; anything else is shown as the server
 * wrote it, marked as untranslated, never silently dropped.
 */
const RULES: [RegExp, string][] = [
  // Parser: data quality.
  [/^(\S+) scrambled: reading order broken$/, '$1乱序：原文阅读顺序错乱'],
  [/^(\S+) truncated: characters lost$/, '$1残缺：有字符丢失'],
  [
    /^(\S+) truncated: characters lost between "(.+?)" and "(.+?)" \(the pair never occurs in the list; the item's own text reads "(.+?)"\); expected the whole name$/,
    '$1残缺：“$2”与“$3”之间缺字（清单中这两段从不相连，该事项自身文字为“$4”），应为完整名称',
  ],
  [
    /^sub-item (\d+): 子项名称 empty on a row that starts its own 实施依据$/,
    '子项 $1：子项名称为空，但该行另起实施依据',
  ],
  [
    /^序号 "(.+?)" unreadable; taken as (\d+): its code's item segment (\S+) follows (\S+) of item (\d+)$/,
    '序号“$1”无法读出，取为 $2：其编码事项段 $3 接在第 $5 项的 $4 之后',
  ],
  [/^(\S+) scrambled$/, '$1乱序'],
  [/^(\S+) truncated$/, '$1残缺'],
  [/^权力类型 unreadable; taken from the code's type segment (\d+)$/, '权力类型无法读出；按编码类型段 $1 取得'],
  [
    /^all (\d+) (\S+) items of this list with a readable 承办机构 read (\S+)$/,
    '本清单承办机构可读的 $1 个$2事项均为$3，据此推断',
  ],
  [/^no full 地方权力编码 in the text; kept as partial$/, '原文中没有完整的地方权力编码，保留已读出的部分'],
  [/^(\S+) missing or unreadable$/, '$1缺失或无法读出'],
  [/^item code inferred from sub-item code (\S+)$/, '事项编码由子项编码 $1 推断'],
  [/^(\S+) unreadable \(expected (\S+)\)$/, '$1无法读出（应为$2）'],
  [/^sub-item (\d+) has a code but no name$/, '子项 $1 有编码但没有名称'],
  [
    /^序号 unreadable; taken as (\d+): its code's item segment (\S+) follows (\S+) of item (\d+)$/,
    '序号无法读出，取为 $1：其编码事项段 $2 接在第 $4 项的 $3 之后',
  ],
  [
    /^权力类型 column reads (\S+) but the code's type segment (\d+) means (\S+)$/,
    '权力类型栏读作$1，但编码类型段 $2 表示$3',
  ],
  // Case validator: rejected rows.
  [/^expected (\d+) fields, got (\d+)$/, '应有 $1 个字段，实有 $2 个'],
  [
    /^required; letters, digits and _ \. - \/ only, at most (\d+) characters$/,
    '必填；只能含字母、数字和 _ . - /，最多 $1 个字符',
  ],
  [/^not a known bureau$/, '不是已知的单位'],
  [/^required; the item code from the list, letters and digits only$/, '必填；清单中的事项编码，只含字母和数字'],
  [/^letters and digits only, or empty$/, '只能含字母和数字，或留空'],
  [/^not an item of the list$/, '不是清单中的事项'],
  [/^unreadable timestamp$/, '时间无法读取'],
  [/^lies in the future$/, '晚于当前时间'],
  [/^is before (\w+); stages must be in order$/, '早于 $1；各环节时间须依次排列'],
  [/^a case needs received_at or accepted_at$/, '案件须有 received_at 或 accepted_at'],
  [/^expected one of (.+)$/, '应为以下之一：$1'],
  [/^outcome (\w+) needs decided_at$/, '结果为 $1 的案件须有 decided_at'],
  [/^a pending case cannot have this stage yet$/, '未办结的案件不应有此环节时间'],
  [/^expected yuan as digits with at most 2 decimals.*$/, '罚款应以元为单位，数字且最多两位小数，如 5000 或 1200.50'],
  [/^above (\d+) yuan; check the unit$/, '超过 $1 元，请核对单位'],
  [/^only a penalized case has a fine$/, '只有作出处罚的案件才有罚款'],
  [/^expected a whole number 1\.\.(\d+)$/, '应为 1 至 $1 的整数'],
  [/^expected true or false$/, '应为 true 或 false'],
  [
    /^repeats the case_id of line (\d+) of this file; the first row is kept$/,
    '与本文件第 $1 行的 case_id 重复，保留首次出现的行',
  ],
  [/^unreadable CSV record: (.+)$/, 'CSV 记录无法读取：$1'],
];

/** Chinese text of a known message, or null. Several messages joined by "; " are translated one by one. */
export function zhMessage(message: string): string | null {
  const parts = message.split(/; (?=stage label|权力类型|all \d)/);
  const out: string[] = [];
  for (const part of parts) {
    const stage = /^stage label "(.+)" is OCR-damaged; read as (\S+)$/.exec(part);
    if (stage) {
      out.push(`环节名称“${stage[1]}”识别受损，读作${stage[2]}`);
      continue;
    }
    const rule = RULES.find(([re]) => re.test(part));
    if (!rule) return null;
    out.push(part.replace(rule[0], rule[1]));
  }
  return out.join('；');
}

/** A message as a node: its Chinese, or the original marked as an untranslated server text. */
export function messageNode(message: unknown): Node | string {
  if (message === null || message === undefined || message === '') return '';
  const m = String(message);
  const zh = zhMessage(m);
  if (zh !== null) return el('span', { title: m, 'data-message': m }, zh);
  return el('span', {}, '（系统原文）', el('span', { class: 'raw', lang: 'en' }, m));
}

/** Field names of rejected case rows. */
export const REJECT_FIELD: Record<string, string> = { row: '整行' };

/** Wraps identifiers (case ids, codes, file names) in <code>, so prose stays Chinese around them. */
export function withCodes(text: string): (Node | string)[] {
  const out: (Node | string)[] = [];
  let last = 0;
  for (const m of text.matchAll(/[A-Za-z0-9][\w.\-/]*[A-Za-z][\w.\-/]*|[A-Za-z]+/g)) {
    if (m.index! > last) out.push(text.slice(last, m.index));
    out.push(el('code', {}, m[0]));
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
