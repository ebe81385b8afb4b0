import {
  blockFilesContaining,
  channelBlockFiles,
  eventually,
  failureCode,
  orgs,
  uniqueSuffix,
  utf8,
  withConnection,
} from './support';

const run = uniqueSuffix();

describe('public state through every organisation', () => {
  it.each(orgs)('a write submitted through %s is read back through every peer', async (writer) => {
    const key = `smoke-${writer}-${run}`;
    const value = `written by ${writer} ${run}`;
    await withConnection(writer, 'app', async (c) => {
      await c.contract('smoke').submitTransaction('Put', key, value);
    });
    for (const reader of orgs) {
      const read = await withConnection(reader, 'app', async (c) =>
        utf8.decode(await c.contract('smoke').evaluateTransaction('Get', key)),
      );
      expect(read).toBe(value);
    }
  });

  it('refuses a malformed key with a stable code', async () => {
    await withConnection('platform1', 'app', async (c) => {
      expect(await failureCode(c.contract('smoke').submitTransaction('Put', 'bad key!', 'x'))).toBe(
        'INVALID_ARGUMENT',
      );
    });
  });
});

describe('private data of a platform', () => {
  const collection = 'Platform1MSPPrivate';
  const key = `private-${run}`;
  // Distinctive so a byte search of the block files cannot match by chance.
  const secret = `transient-secret-${run}-何小姐`;
  const publicMarker = `public-marker-${run}`;

  beforeAll(async () => {
    await withConnection('platform1', 'app', async (c) => {
      await c.contract('smoke').submit('PutPrivate', {
        arguments: [collection, key],
        transientData: { value: secret },
      });
      await c.contract('smoke').submitTransaction('Put', `marker-${run}`, publicMarker);
    });
  });

  it('is read back by its platform and by the registry', async () => {
    for (const reader of ['platform1', 'registry'] as const) {
      const read = await withConnection(reader, 'app', async (c) =>
        utf8.decode(await c.contract('smoke').evaluateTransaction('GetPrivate', collection, key)),
      );
      expect(read).toBe(secret);
    }
  });

  it('is refused to a platform that is not a member of the collection', async () => {
    await withConnection('platform2', 'app', async (c) => {
      const code = await failureCode(c.contract('smoke').evaluateTransaction('GetPrivate', collection, key));
      expect(code).not.toBe('');
    });
  });

  it('never reaches a block on any peer or orderer, while public values do', async () => {
    const files = await channelBlockFiles();
    // Three orderers and three peers each keep the channel's chain.
    expect(files.length).toBeGreaterThanOrEqual(6);
    await eventually(async () => {
      expect((await blockFilesContaining(publicMarker)).length).toBeGreaterThanOrEqual(6);
    });
    expect(await blockFilesContaining(secret)).toEqual([]);
  });
});
