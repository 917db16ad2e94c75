import { describe, expect, it } from 'vitest';
import { parseCitations, parseDocNumbers } from '../../etl/parse/citation.ts';

const src = { source: 'data/lists/liangzhou.txt', line: 5 };
const basis = (text: string) => parseCitations(text, src).citations.filter((c) => c.role === 'basis');

// Real passages from data/lists/liangzhou.txt (line numbers in the names).
const L5 =
  '1.《中华人民共和国劳动法》(1994年7月5日第八届全国人民代表大会常务委员会第八次会议通过,1994年7月5日中华人民共和国主席令第二十八号公布,自1995年1月1日起施行。2009年8月27日第十一届全国人民代表大会常务委员会第十次会议修订)第三十九条:企业因生产特点不能实行本法第三十六条、第三十八条规定的,经劳动行政部门批准,可以实行其他工作和休息办法。 2.《国务院关于职工工作时间的规定》(中华人民共和国国务院令第146号,1995年3月25日修订)第五条:因工作性质或者生产特点的限制,不能实行每日工作8小时、每周工作40小时标准工时制度的,按照国家有关规定,可以实行其他工作和休息办法。 3.《关于印发关于企业实行不定时工作制和综合计算工时工作制的审批办法的通知》(劳部发〔1994〕503号,1994年12月14日)第七条:地方企业实行不定时工作制和综合计算工时工作制等其他工作和休息办法的审批办法,由各省、自治区、直辖市人民政府劳动行政部门制定,报国务院劳动行政部门备案。';
const L17 =
  '《中华人民共和国劳动合同法》(2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过根据2012年12月28日第十一届全国人民代表大会常务委员会第三十次会议《关于修改〈中华人民共和国劳动合同法〉的决定》修正主席令第73号)第八十四条:用人单位违反本法规定,扣押劳动者居民身份证等证件的,由劳动行政部门责令限期退还劳动者本人';
const L36 =
  '1.《中华人民共和国劳动法》(1994年7月5日第八届全国人民代表大会常务委员会第八次会议通过根据2018年12月29日第十三届全国人民代表大会常务委员会第七次会议《关于修改〈中华人民共和国劳动法〉等七部法律的决定》第二次修正)第九十条:用人单位违反本法规定,延长劳动者工作时间的,由劳动行政部门给予警告,责令改正,并可以处以罚款。 2.《劳动保障监察条例》(中华人民共和国国务院令第423号,2004年10月26日)第二十五条:用人单位违反劳动保障法律、法规或者规章延长劳动者工作时间的';
const L88 =
  '1. 《工伤保险条例》(中华人民共和国国务院令第375号,2003年4月16日)第六十条:用人单位、工伤职工或者其近亲属骗取工伤保险待遇的,由社会保险行政部门责令退还,处骗取金额2倍以上5倍以下的罚款。 2. 根据2014年4月24日第十二届全国人民代表大会常务委员会第八次会议通过关于《中华人民共和国刑法》第266条的司法解释:以欺诈、伪造证明材料或者其他手段骗取养老、医疗、工伤、失业、生育等社会保险金';
const L16 =
  '1.《中华人民共和国民办教育促进法》(2002年12月28日第九届全国人民代表大会常务委员会第三十一次会议通过,根据2013年6月29日第十二届全国人民代表大会常务委员会第三次会议《关于修改〈中华人民共和国文物保护法〉等十二部法律的决定》第一次修正,根据2016年11月7日第十二届全国人民代表大会常务委员会第二十四次会议《关于修改〈中华人民共和国民办教育促进法〉的决定》第二次修正)第十二条:举办实施学历教育';
const L41 = '16日)第六十二条第一款:用人单位依照本条例规定应当参加工伤保险而未参加的,由社会保险行政部门责令限期参加';
const L217 =
  '2. 《就业服务与就业管理规定》(中华人民共和国劳动和社会保障部令第28号,2014年、2015年分别修订)第二十五条:公共就业服务机构应当免费为劳动者提供以下服务';
const L48 =
  '《中华人民共和国中外合作办学条例》(中华人民共和国国务院令第372号,2003年3月1日)第五十七条:违反本条例的规定,发布虚假招生简章,骗取钱财的,……中外合作办学机构发布虚假招生广告的,依照《中华人民共和国广告法》的有关规定追究其法律责任。';
const L153 =
  '2. 《关于印发工伤保险经办规程的通知》(人社部发〔2012〕 11号,2012年2月6日〕第四十二条:居住在统筹地区以外的工伤职工';

describe('parseCitations on passages of the bundled list', () => {
  it('line 5: three numbered citations, a notice form, dates with events', () => {
    const [law, reg, notice] = basis(L5);
    expect(law).toMatchObject({ title: '中华人民共和国劳动法', list_no: 1, claimed_version_date: '2009-08-27' });
    expect(law!.dates.map((d) => [d.iso, d.event])).toEqual([
      ['1994-07-05', 'adopted'],
      ['1994-07-05', 'promulgated'],
      ['1995-01-01', 'effective'],
      ['2009-08-27', 'revised'],
    ]);
    expect(law!.dates[1]!.doc_number).toBe('主席令第28号');
    expect(law!.articles.map((a) => a.article)).toEqual([39]); // 第三十六条 inside the quoted text is not cited
    expect(reg).toMatchObject({ title: '国务院关于职工工作时间的规定', claimed_version_date: '1995-03-25' });
    expect(reg!.doc_numbers.map((d) => d.normalized)).toEqual(['国务院令第146号']);
    expect(notice).toMatchObject({
      form: 'notice',
      cited_title: '关于企业实行不定时工作制和综合计算工时工作制的审批办法',
      notice_title: '关于印发关于企业实行不定时工作制和综合计算工时工作制的审批办法的通知',
      list_no: 3,
    });
    expect(notice!.doc_numbers[0]).toMatchObject({ normalized: '劳部发〔1994〕503号', year: 1994, number: 503 });
    expect(notice!.articles[0]).toMatchObject({ text: '第七条', article: 7 });
  });

  it('line 17: 根据…《关于修改〈X〉的决定》修正 with no comma, and the order number after it', () => {
    const [c] = basis(L17);
    expect(c!.dates.map((d) => [d.iso, d.event, d.by])).toEqual([
      ['2007-06-29', 'adopted', null],
      ['2012-12-28', 'amended', '关于修改〈中华人民共和国劳动合同法〉的决定'],
    ]);
    expect(c!.doc_numbers.map((d) => d.normalized)).toEqual(['主席令第73号']);
    expect(c!.claimed_version_date).toBe('2012-12-28');
    expect(c!.articles.map((a) => a.article)).toEqual([84]);
    expect(parseCitations(L17, src).citations).toHaveLength(1); // the amending decision is not a citation
  });

  it('line 36: ordinal amendment and a bare date', () => {
    const [law, reg] = basis(L36);
    expect(law!.dates[1]).toMatchObject({ iso: '2018-12-29', event: 'amended', ordinal: 2, event_text: '第二次修正' });
    expect(reg!.dates[0]).toMatchObject({ iso: '2004-10-26', event: null });
    expect(reg!.claimed_version_date).toBe('2004-10-26');
    expect(reg!.articles[0]!.article).toBe(25);
  });

  it('line 88: the NPCSC interpretation written with its date before the title', () => {
    const [reg, interp] = basis(L88);
    expect(reg!.doc_numbers[0]!.normalized).toBe('国务院令第375号');
    expect(interp).toMatchObject({
      form: 'interpretation',
      list_no: 2,
      interprets: { title: '中华人民共和国刑法', article: 266 },
      claimed_version_date: '2014-04-24',
    });
    expect(interp!.articles[0]).toMatchObject({ text: '第266条', article: 266 });
  });

  it('line 16: two numbered amendments', () => {
    const [c] = basis(L16);
    expect(c!.dates.map((d) => [d.iso, d.event, d.ordinal])).toEqual([
      ['2002-12-28', 'adopted', null],
      ['2013-06-29', 'amended', 1],
      ['2016-11-07', 'amended', 2],
    ]);
    expect(c!.claimed_version_date).toBe('2016-11-07');
  });

  it('line 217: year-only dates sharing one event', () => {
    const [c] = basis(L217);
    expect(c!.dates.map((d) => [d.iso, d.event])).toEqual([
      ['2014', 'revised'],
      ['2015', 'revised'],
    ]);
    expect(c!.doc_numbers[0]!.normalized).toBe('劳动保障部令第28号');
    expect(c!.claimed_version_date).toBe('2015');
  });

  it('line 48: a 《》 inside the quoted article is a mention, not a basis', () => {
    const all = parseCitations(L48, src).citations;
    expect(all.map((c) => [c.title, c.role])).toEqual([
      ['中华人民共和国中外合作办学条例', 'basis'],
      ['中华人民共和国广告法', 'mention'],
    ]);
  });

  it('line 153: a note the OCR closed with 〕, and a spaced doc number', () => {
    const [c] = basis(L153);
    expect(c!.doc_numbers[0]!.normalized).toBe('人社部发〔2012〕11号');
    expect(c!.dates[0]!.iso).toBe('2012-02-06');
    expect(c!.articles[0]!.article).toBe(42);
  });

  it('line 41: a cell that starts inside a cut-off citation yields no citation', () => {
    expect(parseCitations(L41, src).citations).toEqual([]);
  });

  it('reports an unclosed note and an impossible date', () => {
    const { issues } = parseCitations('《社会保险费征缴暂行条例》(中华人民共和国国务院令第', src);
    expect(issues.map((i) => i.message)).toContain('note opened with ( is never closed');
    const bad = parseCitations('《X条例》(2019年2月30日)第一条:', src);
    expect(bad.citations[0]!.dates[0]!.iso).toBeNull();
    expect(bad.issues[0]!.message).toMatch(/impossible date/);
  });

  it('articles with paragraph and item', () => {
    const [c] = basis('《工伤保险条例》(中华人民共和国国务院令第586号,2010年12月20日)第六十二条第一款:用人单位');
    expect(c!.articles[0]).toMatchObject({ article: 62, paragraph: 1, item: null, text: '第六十二条第一款' });
  });
});

// Item 40 (lines 89–100): the row ends inside 征缴暂行条例's note and the next row starts a new entry.
const ITEM40_MERGED =
  '2.《社会保险费征缴暂行条例》(中华人民共和国国务院令第 1.《中华人民共和国社会保险法》(2010年10月28日第十一届全国人民代表大会常务委员会第十七次会议通过根据2018年12月29日第十三届全国人民代表大会常务委员会第七次会议《关于修改〈中华人民共和国社会保险法〉的决定》修正)第五十八条:用人单位应当自用工之日起三十日内为其职工向社会保险经办机构申请办理社会保险登记。';
// Item 52 (lines 161–169): the row ends inside 经办规程's note; the next row quotes 辅助器具 inside
// 经办规程's article and then cites it as a basis of its own.
const ITEM52_MERGED =
  '2.《关于印发工伤保险经办规程的通知》(人社部发(2012) 器具达到规定的最低使用年限的,工伤职工可以按照统筹地区人力资源社会保障行政部门的规定申请更换。 2.《关于印发工伤保险经办规程的通知》(人社部发(2012)11号,2012年2月6日)第五十条:按照《工伤保险辅助器具配置管理办法》,工伤职工需要配置(更换)辅助器具的,由用人单位、 《工伤保险辅助器具配置管理办法》(中华人民共和国人力资源和社会保障部、民政部、卫生和计划生育委员会令第27号,2016年2月16日)第十五条:工伤职工配置辅助器具的费用包括安装、维修、训练等费用,按照规定由工伤保险基金支付。';
// Item 40 again: a row that lost the opening of 《关于印发城乡居民基本养老保险经办规程的通知》.
const ITEM40_ORPHAN =
  '可以在户籍地参加城乡居民养老保险制度覆盖范围的城乡居民基本养老保险经办规程的通知》(人社部发〔2014〕23号)第六条:符合城乡居民养老保险参保条件的城乡居民,需携带户口簿和居民';
// Item 55: the row ends inside a title.
const ITEM55_CUT =
  '3.《关于进一步完善社会救助和保障标准与物价上涨挂钩联动机制 剩企业、淘汰落后产能企业等三类企业扩大到所有符合条件的企业。';

describe("rows merged by a page break (the list's own text)", () => {
  it("item 40: a note cut by the row end claims no date; the next row's citation keeps its own", () => {
    const { citations, issues } = parseCitations(ITEM40_MERGED, src);
    const [cut, law] = citations.filter((c) => c.role === 'basis');
    expect(cut).toMatchObject({ title: '社会保险费征缴暂行条例', claimed_version_date: null, dates: [] });
    expect(cut!.doc_numbers.every((d) => d.normalized === null)).toBe(true);
    expect(issues.map((i) => i.message)).toContain('note cut off where its row ends');
    expect(law).toMatchObject({ title: '中华人民共和国社会保险法', claimed_version_date: '2018-12-29', list_no: 1 });
    expect(law!.articles.map((a) => a.article)).toEqual([58]);
  });

  it('item 52: the cut 经办规程 note does not swallow the 辅助器具 citation or its 2016 date', () => {
    const all = parseCitations(ITEM52_MERGED, src).citations;
    expect(all.map((c) => [c.title, c.role, c.claimed_version_date])).toEqual([
      ['关于印发工伤保险经办规程的通知', 'basis', null],
      ['关于印发工伤保险经办规程的通知', 'basis', '2012-02-06'],
      // Named inside 经办规程's article 50: quoted, not a basis of its own.
      ['工伤保险辅助器具配置管理办法', 'mention', null],
      ['工伤保险辅助器具配置管理办法', 'basis', '2016-02-16'],
    ]);
    expect(all[0]!.doc_numbers.map((d) => d.text)).toEqual(['人社部发(2012)']);
    expect(all[3]!.articles.map((a) => a.article)).toEqual([15]);
  });

  it('item 40: a title that lost its 《 becomes a citation named by its doc number', () => {
    const [c] = parseCitations(ITEM40_ORPHAN, src).citations;
    expect(c).toMatchObject({ title: '', title_quality: 'doc_number_only', role: 'basis', claimed_version_date: null });
    expect(c!.doc_numbers.map((d) => d.normalized)).toEqual(['人社部发〔2014〕23号']);
  });

  it("item 55: a title cut by the row end is kept, flagged, without the next row's words", () => {
    const { citations, issues } = parseCitations(ITEM55_CUT, src);
    expect(citations.map((c) => [c.title, c.title_quality, c.role])).toEqual([
      ['关于进一步完善社会救助和保障标准与物价上涨挂钩联动机制', 'cut', 'basis'],
    ]);
    expect(issues.map((i) => i.message)).toContain('title cut off where its row ends');
  });
});

describe('dates that are not version dates', () => {
  it('item 78: a note the cell cut off keeps its dates but claims no version (the amendments may have followed)', () => {
    const { citations, issues } = parseCitations(
      '工会或者职工的意见,经向劳动行政部门报告后,可以裁减人员。 2.《中华人民共和国劳动合同法》(2007年6月29日第十届全国人民',
      src,
    );
    expect(citations[0]).toMatchObject({
      title: '中华人民共和国劳动合同法',
      role: 'basis',
      claimed_version_date: null,
    });
    expect(citations[0]!.dates.map((d) => d.iso)).toEqual(['2007-06-29']);
    expect(issues.map((i) => i.message)).toContain('note opened with ( is never closed');
  });
  it('a year written before an order number dates the number: "2002年国务院令364号" is no 2002 version', () => {
    const [c] = basis('《X条例》(2002年国务院令364号)第三条:');
    expect(c!.dates).toEqual([]);
    expect(c!.claimed_version_date).toBeNull();
    expect(c!.doc_numbers.map((d) => d.normalized)).toEqual(['国务院令第364号']);
  });
  it('a bracketed doc-number year is no date: 劳部发〔1994〕503号 alone claims nothing', () => {
    const [c] = basis('《关于印发X的通知》(劳部发〔1994〕503号)第七条:');
    expect(c!.claimed_version_date).toBeNull();
  });
});

describe('parseDocNumbers', () => {
  it.each([
    ['中华人民共和国国务院令第423号', '国务院令第423号'],
    ['人社部令第40号', '人社部令第40号'],
    ['中华人民共和国人力资源和社会保障部令第20号', '人社部令第20号'],
    ['劳动和社会保障部令28号', '劳动保障部令第28号'],
    ['劳动和保障部令第16号', '劳动保障部令第16号'],
    ['财社〔2017〕164号', '财社〔2017〕164号'],
    ['财社〔2017〕 164号', '财社〔2017〕164号'],
    ['劳部发〔1994〕503号', '劳部发〔1994〕503号'],
    ['国办发(2009)66号', '国办发〔2009〕66号'],
    ['人社部发[2019]30号', '人社部发〔2019〕30号'],
    ['人社厅发（2017）7号', '人社厅发〔2017〕7号'],
    ['国 发(2017)28号', '国发〔2017〕28号'],
    ['主席令第73号', '主席令第73号'],
    ['甘肃省人民代表大会常务委员会公告第25号', '甘肃省人民代表大会常务委员会公告第25号'],
  ])('%s → %s', (text, normalized) => {
    expect(parseDocNumbers(text).map((d) => d.normalized)).toEqual([normalized]);
  });
  it('keeps a truncated number with a null normal form', () => {
    expect(parseDocNumbers('人社部发(2012)')[0]).toMatchObject({ normalized: null, year: 2012, number: null });
  });
});
