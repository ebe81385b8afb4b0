import {
  creditCodeCheckCharacter,
  parsePersonalDetails,
  requireIdNumber,
  requirePersonName,
  requireSalt,
  residentIdCheckCharacter,
} from './personal-data';

describe('resident ID (GB 11643-1999)', () => {
  it.each(['11010519491231002X', '440524188001010014', '11010119900307803X'])('accepts %s', (id) => {
    expect(requireIdNumber('RESIDENT_ID', id)).toBe(id);
  });

  it('computes the check character with ISO 7064 MOD 11-2', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('44052418800101001')).toBe('4');
  });

  it.each(['110105194912310020', '110105194912310021', '440524188001010015'])(
    'refuses %s: a wrong check character, without echoing the number',
    (id) => {
      const check = (): string => requireIdNumber('RESIDENT_ID', id);
      expect(check).toThrow(
        'INVALID_ARGUMENT: user.idNumber has a wrong check character for RESIDENT_ID (GB 11643-1999 (ISO 7064 MOD 11-2))',
      );
      expect(check).not.toThrow(id);
    },
  );

  it('refuses a lower-case x instead of upper-casing it', () => {
    expect(() => requireIdNumber('RESIDENT_ID', '11010519491231002x')).toThrow(
      /^INVALID_ARGUMENT: user.idNumber must be 18 characters: 17 digits and a check character 0-9 or upper-case X/,
    );
  });

  it.each(['1101051949123100X', '1101051949123100201', 'A1010519491231002X', ''])('refuses %j', (id) => {
    expect(() => requireIdNumber('RESIDENT_ID', id)).toThrow(/^INVALID_ARGUMENT: user.idNumber must be /);
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(['9144030071526726XG', '91440300708461136T', '91350100M000100Y43'])('accepts %s', (code) => {
    expect(requireIdNumber('BUSINESS_LICENSE', code)).toBe(code);
  });

  it('computes the check character', () => {
    expect(creditCodeCheckCharacter('9144030071526726X')).toBe('G');
  });

  it.each(['9144030071526726XH', '911100001000000000'])('refuses %s: wrong check character', (code) => {
    expect(() => requireIdNumber('BUSINESS_LICENSE', code)).toThrow(
      /wrong check character for BUSINESS_LICENSE/,
    );
  });

  it.each(['9144030071526726IG', '9144030071526726X', '9144030071526726xg'])('refuses %s: format', (code) => {
    expect(() => requireIdNumber('BUSINESS_LICENSE', code)).toThrow(
      /must be an 18-character unified social credit code/,
    );
  });
});

describe('other ID types', () => {
  it.each([
    ['PASSPORT', 'E1234', true],
    ['PASSPORT', 'E123', false],
    ['PASSPORT', 'e12345678', false],
    ['HK_MACAO_PERMIT', 'H1234567', true],
    ['TAIWAN_PERMIT', '12345678', true],
    ['TAIWAN_PERMIT', '12345', false],
    ['FOREIGN_PERMANENT_RESIDENT', 'USA110079060101', true],
    ['FOREIGN_PERMANENT_RESIDENT', 'U'.repeat(21), false],
    ['FOREIGN_PERMANENT_RESIDENT', 'USA-1100', false],
  ] as const)('%s %s valid: %s', (type, id, valid) => {
    const check = (): string => requireIdNumber(type, id);
    if (valid) {
      expect(check()).toBe(id);
    } else {
      expect(check).toThrow(/^INVALID_ARGUMENT: user.idNumber must be /);
    }
  });
});

describe('requirePersonName', () => {
  it.each(['欧阳娜娜', '阿卜杜热西提·买买提', 'José Núñez', '𠮷野家', 'A'])('keeps %s exactly', (name) => {
    expect(requirePersonName(name)).toBe(name);
  });

  it('does not normalise: composed and decomposed forms stay distinct', () => {
    const decomposed = 'Jose\u0301';
    expect(requirePersonName(decomposed)).toBe(decomposed);
    expect(requirePersonName(decomposed)).not.toBe(decomposed.normalize('NFC'));
  });

  it('counts characters, not UTF-16 units: 100 astral characters fit', () => {
    expect(requirePersonName('𠮷'.repeat(100))).toHaveLength(200);
    expect(() => requirePersonName('𠮷'.repeat(101))).toThrow(
      /^INVALID_ARGUMENT: user.name must be 1 to 100/,
    );
  });

  it.each(['', '   ', 'a\u0000b', 'line\nbreak', 'tab\there', 'del\u007f', 'c1\u0085', 'lone\ud800'])(
    'refuses %j',
    (name) => {
      expect(() => requirePersonName(name)).toThrow(
        /^INVALID_ARGUMENT: user.name must be 1 to 100 characters/,
      );
    },
  );

  it('refuses a non-string', () => {
    expect(() => requirePersonName(7)).toThrow('INVALID_ARGUMENT: user.name must be a string');
  });
});

describe('parsePersonalDetails', () => {
  it('parses the transient user field', () => {
    const text = JSON.stringify({ name: '欧阳娜娜', idType: 'RESIDENT_ID', idNumber: '11010519491231002X' });
    expect(parsePersonalDetails(text)).toEqual({
      name: '欧阳娜娜',
      idType: 'RESIDENT_ID',
      idNumber: '11010519491231002X',
    });
  });

  it.each([
    ['not json', 'INVALID_ARGUMENT: user is not valid JSON'],
    ['[]', 'INVALID_ARGUMENT: user must be a JSON object'],
    ['{"name":"A","idType":"PASSPORT"}', 'INVALID_ARGUMENT: user.idNumber is required'],
    [
      '{"name":"A","idType":"PASSPORT","idNumber":"E1234","phone":"1"}',
      'INVALID_ARGUMENT: user has an unknown field phone',
    ],
    [
      '{"name":"A","idType":"DRIVER","idNumber":"E1234"}',
      'INVALID_ARGUMENT: user.idType must be one of RESIDENT_ID',
    ],
  ])('refuses %s', (text, message) => {
    expect(() => parsePersonalDetails(text)).toThrow(message);
  });
});

describe('requireSalt', () => {
  it.each(['00'.repeat(16), 'ab'.repeat(64)])('accepts %s', (salt) => {
    expect(requireSalt(salt)).toBe(salt);
  });

  it.each(['00'.repeat(15), 'ab'.repeat(65), 'AB'.repeat(16), '0'.repeat(33), 'ABEiM0RVZneImaq7zN3u/w=='])(
    'refuses %s',
    (salt) => {
      expect(() => requireSalt(salt)).toThrow(
        /^INVALID_ARGUMENT: salt must be 16 to 64 random bytes as lower-case hex/,
      );
    },
  );
});
