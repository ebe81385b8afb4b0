import { writeConnection } from './write-options';

describe('writeConnection', () => {
  it('writes as app unless told otherwise', () => {
    expect(writeConnection({ org: 'registry' })).toEqual({ org: 'registry', identity: 'app' });
    expect(writeConnection({ org: 'platform1', identity: 'admin' })).toEqual({
      org: 'platform1',
      identity: 'admin',
    });
  });
});
