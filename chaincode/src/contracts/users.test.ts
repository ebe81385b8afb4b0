import { createHash, createHmac } from 'node:crypto';
import { ConfigName, KeyPrefix, referenceSecretFingerprint } from '@crowdledger/protocol';
import { makeTestPki, type TestPki } from '../testing/pki';
import {
  ALICE,
  BOB,
  contracts,
  DETAILS,
  HOLDER_CERTS,
  P1,
  P2,
  REFERENCE_SECRETS,
  SALT,
  World,
} from '../testing/world';
import { userCommitment } from '@crowdledger/protocol';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
});

const userKey = (id: string): string => `\u0000${KeyPrefix.user}\u0000${id}\u0000`;
const personalKey = (id: string): string => `\u0000${KeyPrefix.personal}\u0000${id}\u0000`;
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('UsersContract.Register', () => {
  it('assigns the derived ID and stores only a commitment in public state', async () => {
    const world = new World(pki);
    const user = await world.registerUser('platform1', 'alice', DETAILS.alice);
    expect(user).toEqual({
      userId: ALICE,
      platform: P1,
      status: 'ACTIVE',
      commitment: userCommitment(SALT, { ...DETAILS.alice, platformRef: 'alice' }),
      registeredAt: new Date(world.stub.txSeconds * 1000).toISOString(),
    });
    expect(text(world.stub.state.get(userKey(ALICE)) ?? new Uint8Array())).toBe(text(user.toBytes()));
  });

  it("writes the personal data, salt included, to the platform's collection only", async () => {
    const world = new World(pki);
    await world.registerUser('platform1', 'alice', DETAILS.alice);
    const stored = world.stub.privateData.get(`${P1}Private`)?.get(personalKey(ALICE));
    expect(JSON.parse(text(stored ?? new Uint8Array()))).toEqual({
      userId: ALICE,
      platformRef: 'alice',
      ...DETAILS.alice,
      salt: SALT,
    });
    expect([...world.stub.privateData.keys()]).toEqual([`${P1}Private`]);
  });

  it('emits one UserRegistered event with the public record', async () => {
    const world = new World(pki);
    const user = await world.registerUser('platform1', 'alice', DETAILS.alice);
    expect(world.stub.events).toHaveLength(1);
    expect(world.stub.events[0]?.name).toBe('UserRegistered');
    expect(text(world.stub.events[0]?.payload ?? new Uint8Array())).toBe(text(user.toBytes()));
  });

  it('keeps names, ID numbers and salt out of every public write and event', async () => {
    const world = new World(pki);
    await world.populate();
    const secrets = Object.values(DETAILS).flatMap((d) => [
      d.name,
      d.idNumber,
      JSON.stringify(d.name).slice(1, -1),
    ]);
    const publicBytes = [
      ...world.stub.writes.filter((w) => w.collection === '').map((w) => w.value),
      ...world.stub.events.map((e) => e.payload),
    ].map(text);
    expect(publicBytes.length).toBeGreaterThan(5);
    for (const secret of [...secrets, SALT]) {
      expect(publicBytes.filter((bytes) => bytes.includes(secret))).toEqual([]);
    }
  });

  it('fails USER_EXISTS for the same reference twice, so a retry is safe', async () => {
    const world = new World(pki);
    await world.registerUser('platform1', 'alice', DETAILS.alice);
    const writes = world.stub.writes.length;
    await expect(world.registerUser('platform1', 'alice', DETAILS.alice)).rejects.toThrow(
      `USER_EXISTS: ${P1} already registered this reference as user ${ALICE}`,
    );
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('keys the user ID with the platform secret: sha256(MSP, HMAC(secret, reference))', async () => {
    const world = new World(pki);
    const user = await world.registerUser('platform1', 'alice', DETAILS.alice);
    const digest = createHmac('sha256', Buffer.from(REFERENCE_SECRETS[P1] ?? '', 'hex'))
      .update('alice')
      .digest('hex');
    const id = createHash('sha256').update(`${P1}\n${digest}`).digest('hex').slice(0, 32);
    expect(user.userId).toBe(`U${id}`);
    // Unkeyed, anyone could test a guessed reference against the ID.
    expect(user.userId).not.toBe(
      `U${createHash('sha256').update(`${P1}\nalice`).digest('hex').slice(0, 32)}`,
    );
  });

  it('keeps the reference and the secret out of every public write, event and result', async () => {
    const world = new World(pki);
    const reference = 'ouyang-nana-19491231';
    const user = await world.registerUser('platform1', reference, DETAILS.alice);
    const secret = REFERENCE_SECRETS[P1] ?? '';
    const publicText = [
      ...world.stub.writes.filter((w) => w.collection === '').map((w) => text(w.value) + w.key),
      ...world.stub.events.map((e) => text(e.payload)),
      JSON.stringify(user),
    ].join('\n');
    for (const hidden of [reference, secret, Buffer.from(reference).toString('hex')]) {
      expect(publicText).not.toContain(hidden);
    }
    const stored = world.stub.privateData.get(`${P1}Private`)?.get(personalKey(user.userId));
    expect(text(stored ?? new Uint8Array())).toContain(reference);
  });

  it("records the secret's fingerprint once, and refuses another secret with REFERENCE_SECRET_MISMATCH", async () => {
    const world = new World(pki);
    await world.registerUser('platform1', 'alice', DETAILS.alice);
    const fingerprintKey = `\u0000${KeyPrefix.config}\u0000${ConfigName.referenceSecret}\u0000${P1}\u0000`;
    expect(JSON.parse(text(world.stub.state.get(fingerprintKey) ?? new Uint8Array()))).toMatchObject({
      platform: P1,
      fingerprint: referenceSecretFingerprint(REFERENCE_SECRETS[P1] ?? ''),
    });
    await world.registerUser('platform1', 'bob', DETAILS.bob);
    const writes = world.stub.writes.length;
    await expect(
      world.registerUser('platform1', 'carol', DETAILS.carol, SALT, 'f'.repeat(64)),
    ).rejects.toThrow(
      /^REFERENCE_SECRET_MISMATCH: this is not the reference secret Platform1MSP has registered its users with since /,
    );
    expect(world.stub.writes).toHaveLength(writes);
    // Each platform has its own secret.
    await expect(world.registerUser('platform2', 'carol', DETAILS.carol)).resolves.toMatchObject({
      platform: P2,
    });
  });

  it.each([
    ['short', 'ab'.repeat(31)],
    ['upper-case', 'AB'.repeat(32)],
  ])('refuses a %s reference secret without echoing it', async (_case, secret) => {
    const world = new World(pki);
    const failure = world.registerUser('platform1', 'alice', DETAILS.alice, SALT, secret);
    await expect(failure).rejects.toThrow(
      'INVALID_ARGUMENT: referenceSecret must be 64 lower-case hex digits (32 random bytes)',
    );
    expect(world.stub.writes).toEqual([]);
  });

  it('lets another platform use the same reference for its own user', async () => {
    const world = new World(pki);
    const first = await world.registerUser('platform1', 'alice', DETAILS.alice);
    const second = await world.registerUser('platform2', 'alice', DETAILS.alice);
    expect(second.userId).not.toBe(first.userId);
  });

  it.each(['reference', 'referenceSecret', 'user', 'salt'])(
    'fails TRANSIENT_MISSING without transient %s',
    async (field) => {
      const world = new World(pki);
      world.stub.transient = new Map([
        ['reference', Buffer.from('alice')],
        ['referenceSecret', Buffer.from(REFERENCE_SECRETS[P1] ?? '')],
        ['user', Buffer.from(JSON.stringify(DETAILS.alice))],
        ['salt', Buffer.from(SALT)],
      ]);
      world.stub.transient.delete(field);
      await expect(contracts.users.Register(world.as('platform1'))).rejects.toThrow(
        `TRANSIENT_MISSING: transient field ${field} is required`,
      );
      expect(world.stub.writes).toEqual([]);
    },
  );

  it.each([
    [
      'a bad check digit',
      { ...DETAILS.alice, idNumber: '110105194912310020' },
      SALT,
      /wrong check character/,
    ],
    ['a short salt', DETAILS.alice, '00'.repeat(8), /^INVALID_ARGUMENT: salt must be/],
    ['a control character', { ...DETAILS.alice, name: 'A\u0007' }, SALT, /^INVALID_ARGUMENT: user.name/],
  ])('fails INVALID_ARGUMENT for %s and writes nothing', async (_case, details, salt, message) => {
    const world = new World(pki);
    await expect(world.registerUser('platform1', 'alice', details, salt)).rejects.toThrow(message);
    expect(world.stub.writes).toEqual([]);
    expect(world.stub.events).toEqual([]);
  });

  it('refuses a user field that is not UTF-8', async () => {
    const world = new World(pki);
    world.stub.transient = new Map([
      ['reference', Buffer.from('alice')],
      ['referenceSecret', Buffer.from(REFERENCE_SECRETS[P1] ?? '')],
      ['user', Buffer.from([0x7b, 0xff, 0x7d])],
      ['salt', Buffer.from(SALT)],
    ]);
    await expect(contracts.users.Register(world.as('platform1'))).rejects.toThrow(
      'INVALID_ARGUMENT: user must be UTF-8 text',
    );
  });

  it('refuses a bad platform reference', async () => {
    await expect(new World(pki).registerUser('platform1', 'a b', DETAILS.alice)).rejects.toThrow(
      /^INVALID_ARGUMENT: reference must be/,
    );
  });

  it.each(['admin', 'auditor', 'nobody', { holder: 'alice' }] as const)(
    'refuses %j with FORBIDDEN and writes nothing',
    async (who) => {
      const world = new World(pki);
      await world.setAssetCa();
      const before = world.stub.writes.length;
      await expect(world.registerUser(who, 'alice', DETAILS.alice)).rejects.toThrow(
        /^FORBIDDEN: only a platform/,
      );
      expect(world.stub.writes).toHaveLength(before);
    },
  );
});

describe('UsersContract reads', () => {
  async function populated(): Promise<World> {
    const world = new World(pki);
    await world.setAssetCa();
    await world.populate();
    return world;
  }

  it.each(['platform1', 'platform2', 'admin', 'auditor'] as const)(
    'lets %s read the public user',
    async (who) => {
      const world = await populated();
      await expect(contracts.users.Get(world.as(who), ALICE)).resolves.toMatchObject({
        userId: ALICE,
        platform: P1,
      });
    },
  );

  it.each(['nobody', { holder: 'alice' }] as const)('refuses %j with FORBIDDEN', async (who) => {
    const world = await populated();
    await expect(contracts.users.Get(world.as(who), ALICE)).rejects.toThrow(/^FORBIDDEN: /);
  });

  it('refuses an asset-CA certificate that signs a call itself: it has no role', async () => {
    const world = await populated();
    const failure = contracts.users.Get(world.as({ holder: 'alice' }), ALICE);
    await expect(failure).rejects.toThrow(/^FORBIDDEN: only platform, admin or auditor identities may read/);
    await expect(failure).rejects.toThrow(/of RegistryMSP/);
  });

  it('fails USER_NOT_FOUND for an unknown user and INVALID_ARGUMENT for a malformed ID', async () => {
    const world = await populated();
    await expect(contracts.users.Get(world.as('platform1'), `U${'0'.repeat(32)}`)).rejects.toThrow(
      /^USER_NOT_FOUND: no user U0+ is registered$/,
    );
    await expect(contracts.users.Get(world.as('platform1'), 'alice')).rejects.toThrow(
      /^INVALID_ARGUMENT: userId/,
    );
  });

  it.each([
    ['欧阳娜娜', ALICE, DETAILS.alice],
    ['阿卜杜热西提·买买提', BOB, DETAILS.bob],
  ])('gives %s back exactly to her own platform and to the registry admin', async (_name, id, details) => {
    const world = await populated();
    for (const who of ['platform1', 'admin'] as const) {
      const data = await contracts.users.GetPersonalData(world.as(who), id);
      expect(data).toMatchObject({ userId: id, ...details, salt: SALT });
      expect(Buffer.from(data.name, 'utf8')).toEqual(Buffer.from(details.name, 'utf8'));
    }
  });

  it.each(['platform2', 'auditor', 'nobody', { holder: 'alice' }] as const)(
    'refuses personal data to %j',
    async (who) => {
      const world = await populated();
      await expect(contracts.users.GetPersonalData(world.as(who), ALICE)).rejects.toThrow(/^FORBIDDEN: /);
    },
  );

  it('says NOT_FOUND when the answering peer holds no copy of the private data', async () => {
    const world = await populated();
    world.stub.privateData.clear();
    await expect(contracts.users.GetPersonalData(world.as('admin'), ALICE)).rejects.toThrow(
      /^NOT_FOUND: this peer holds no personal data for U/,
    );
  });

  it("lists a user's holdings as their portfolio and closes the scan", async () => {
    const world = await populated();
    const portfolio = await contracts.users.Portfolio(world.as('platform2'), ALICE);
    expect(portfolio.userId).toBe(ALICE);
    expect(portfolio.holdings).toEqual([
      expect.objectContaining({ userId: ALICE, units: 60, escrowed: 0, certificate: 'DUE' }),
    ]);
    expect(world.stub.openIterators).toBe(0);
    await expect(contracts.users.Portfolio(world.as('platform1'), `U${'1'.repeat(32)}`)).rejects.toThrow(
      /^USER_NOT_FOUND: /,
    );
  });
});
