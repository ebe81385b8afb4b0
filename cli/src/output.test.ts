import { count, csvField, formatCsv, formatJson, formatOf, formatTable, major, sharePercent } from './output';

describe('sharePercent', () => {
  it.each([
    [1, 3, '33.33'],
    [2, 3, '66.67'],
    [600, 1000, '60.00'],
    [1000, 1000, '100.00'],
    [0, 7, '0.00'],
    [1, 8, '12.50'],
    [1, 80000, '0.00'],
    [1, 20000, '0.01'],
    [Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, '100.00'],
  ])('%d of %d is %s%%', (units, total, share) => {
    expect(sharePercent(units, total)).toBe(share);
  });

  it('keeps shares of a cap table adding up to about 100', () => {
    const shares = [333, 333, 334].map((u) => Number(sharePercent(u, 1000)));
    expect(shares).toEqual([33.3, 33.3, 33.4]);
  });

  it.each([
    [1, 0],
    [-1, 10],
    [1.5, 10],
  ])('refuses %d of %d', (units, total) => {
    expect(() => sharePercent(units, total)).toThrow(RangeError);
  });
});

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    [42, '42'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['城市更新基金一期', '城市更新基金一期'],
    ['张伟, 李娜', '"张伟, 李娜"'],
    ['', ''],
  ])('%j becomes %j', (value, field) => {
    expect(csvField(value)).toBe(field);
  });
});

describe('formatCsv', () => {
  it('writes a header and CRLF-ended records', () => {
    expect(
      formatCsv(
        ['holder', 'units', 'name'],
        [
          ['U1', 600, '张伟'],
          ['U2', 400, 'Li, "Na"'],
        ],
      ),
    ).toBe('holder,units,name\r\nU1,600,张伟\r\nU2,400,"Li, ""Na"""\r\n');
  });

  it('writes only the header when there are no rows', () => {
    expect(formatCsv(['a', 'b'], [])).toBe('a,b\r\n');
  });
});

describe('formatTable', () => {
  it('aligns columns without borders', () => {
    const lines = formatTable(
      ['holder', 'units'],
      [
        ['U1', 600],
        ['U22', 4],
      ],
    ).split('\n');
    expect(lines).toEqual(['holder  units', 'U1      600  ', 'U22     4    ']);
  });

  it('aligns Chinese text by display width', () => {
    const lines = formatTable(['name', 'n'], [['张伟', 1]]).split('\n');
    expect(lines).toEqual(['name  n', '张伟  1']);
  });
});

describe('formatJson', () => {
  it('indents by two spaces', () => {
    expect(formatJson({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});

describe('major', () => {
  it.each([
    [1250, '12.50'],
    [5, '0.05'],
    [0, '0.00'],
    [37500, '375.00'],
  ])('%d minor units are %s', (minor, text) => {
    expect(major(minor)).toBe(text);
  });
});

describe('count', () => {
  it('says one thing, or many', () => {
    expect(count(1, 'commitment')).toBe('1 commitment');
    expect(count(0, 'event')).toBe('0 events');
    expect(count(2, 'event')).toBe('2 events');
  });
});

describe('formatOf', () => {
  it('picks a table unless --json or --csv says otherwise, and never both', () => {
    expect(formatOf({})).toBe('table');
    expect(formatOf({ json: true })).toBe('json');
    expect(formatOf({ csv: true })).toBe('csv');
    expect(() => formatOf({ json: true, csv: true })).toThrow('choose one of --json and --csv');
  });
});
