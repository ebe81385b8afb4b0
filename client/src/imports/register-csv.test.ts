import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { residentIdCheckCharacter } from '@crowdledger/protocol';
import { readRegister, type RejectedRow } from './register-csv';

/** A resident ID with a right check character, from a 17-digit stem. */
export function residentId(stem: string): string {
  return stem + residentIdCheckCharacter(stem);
}

const GOOD = residentId('11010519491231002');
const OTHER = residentId('44052418800101001');
const fromText = (text: string): Readable => Readable.from([Buffer.from(text, 'utf8')]);
const codes = (rejected: readonly RejectedRow[]): [number, string][] => rejected.map((r) => [r.row, r.code]);

describe('readRegister', () => {
  it('reads quoted fields, a byte-order mark and CRLF, numbering rows as a spreadsheet does', async () => {
    const text = `\uFEFFplatform_ref,name,id_type,id_number,units\r\nc-1,欧阳娜娜,RESIDENT_ID,${GOOD},120\r\nc-2,"Smith, ""Carol""",PASSPORT,E12345678,80\r\n`;
    const file = await readRegister(fromText(text));
    expect(file.rowsRead).toBe(2);
    expect(file.rejected).toEqual([]);
    expect(file.rows).toEqual([
      { row: 2, platformRef: 'c-1', name: '欧阳娜娜', idType: 'RESIDENT_ID', idNumber: GOOD, units: 120 },
      {
        row: 3,
        platformRef: 'c-2',
        name: 'Smith, "Carol"',
        idType: 'PASSPORT',
        idNumber: 'E12345678',
        units: 80,
      },
    ]);
    expect(file.sha256).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('takes every holder for a resident ID when there is no id_type column', async () => {
    const file = await readRegister(fromText(`name,platform_ref,units,id_number\n李娜,c-1,5,${GOOD}\n`));
    expect(file.rows[0]).toMatchObject({ idType: 'RESIDENT_ID', idNumber: GOOD, units: 5, name: '李娜' });
  });

  it('rejects each bad row with its number and reason, and keeps the rest', async () => {
    const wrongCheck = `${GOOD.slice(0, 17)}${GOOD.endsWith('1') ? '2' : '1'}`;
    const lines = [
      'platform_ref,name,id_number,units',
      `ok-1,张伟,${GOOD},10`,
      `bad ref!,张伟,${OTHER},10`,
      `ok-2,,${OTHER},10`,
      `ok-3,王芳,${wrongCheck},10`,
      `ok-4,王芳,11010519491231002x,10`,
      `ok-5,王芳,${OTHER},1.5`,
      `ok-6,王芳,${OTHER},0`,
      `ok-1,王芳,${OTHER},10`,
      `ok-7,王芳,${GOOD},10`,
      `ok-8,王芳,${OTHER}`,
      `ok-9,王芳,${OTHER},9007199254740993`,
      `ok-10,王芳,${OTHER},7`,
    ];
    const file = await readRegister(fromText(lines.join('\n')));
    expect(codes(file.rejected)).toEqual([
      [3, 'REFERENCE_INVALID'],
      [4, 'NAME_INVALID'],
      [5, 'ID_NUMBER_INVALID'],
      [6, 'ID_NUMBER_INVALID'],
      [7, 'UNITS_INVALID'],
      [8, 'UNITS_INVALID'],
      [9, 'DUPLICATE_REFERENCE'],
      [10, 'DUPLICATE_ID_NUMBER'],
      [11, 'ROW_MALFORMED'],
      [12, 'UNITS_INVALID'],
    ]);
    expect(file.rows.map((r) => r.row)).toEqual([2, 13]);
    expect(file.rowsRead).toBe(12);
    expect(file.rejected[2]?.reason).toBe(
      'row 5: id_number has a wrong check character for RESIDENT_ID (GB 11643-1999 (ISO 7064 MOD 11-2))',
    );
    expect(file.rejected[6]?.reason).toBe('row 9: platform_ref repeats row 2');
    // Reasons go into reports that travel: no ID number, name or reference in them.
    const reasons = file.rejected.map((r) => r.reason).join('\n');
    for (const secret of [GOOD, OTHER, wrongCheck, '王芳', 'ok-1']) {
      expect(reasons).not.toContain(secret);
    }
  });

  it('refuses a header without the required columns, or with an unknown one', async () => {
    await expect(readRegister(fromText('platform_ref,name,units\n'))).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      sentence: expect.stringContaining('id_number is missing or repeated') as unknown,
    });
    await expect(readRegister(fromText('platform_ref,name,id_number,units,email\n'))).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      sentence: expect.stringContaining('email is not one of them') as unknown,
    });
  });

  it('fails FILE_UNREADABLE for a missing file or broken quoting', async () => {
    await expect(readRegister('/nonexistent/register.csv')).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
    });
    await expect(
      readRegister(fromText(`platform_ref,name,id_number,units\nc-1,"open,${GOOD},1\n`)),
    ).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });
});
