import {
  type IdType,
  userCommitment as chaincodeCommitment,
  userIdFor as chaincodeUserId,
} from '@crowdledger/protocol';
import { FAKE_REFERENCE_SECRET, type FakeCall, FakeContext, json } from '../testing/fake-gateway';
import { UsersClient } from './users';

const MSP = 'Platform1MSP';
const person = {
  platformRef: 'ouyang-7',
  name: '欧阳娜娜',
  idType: 'RESIDENT_ID' as IdType,
  idNumber: '11010519491231002X',
};

interface Sent {
  readonly name: string;
  readonly idType: IdType;
  readonly idNumber: string;
}

/** The users contract as the chaincode answers Register: ID and commitment by its own rules. */
function chaincodeRegister(call: FakeCall, tamper = false): Uint8Array {
  const ref = call.transientData['reference'] ?? '';
  const secret = call.transientData['referenceSecret'] ?? '';
  const sent = JSON.parse(call.transientData['user'] ?? '{}') as Sent;
  const salt = call.transientData['salt'] ?? '';
  const commitment = chaincodeCommitment(salt, { ...sent, name: tamper ? 'x' : sent.name, platformRef: ref });
  return json({
    userId: chaincodeUserId(MSP, secret, ref),
    platform: MSP,
    status: 'ACTIVE',
    commitment,
    registeredAt: '2026-01-01T00:00:00.000Z',
  });
}

describe('users.register', () => {
  it('sends personal data and salt only in the transient map, never in arguments', async () => {
    const context = new FakeContext(MSP, (call) => chaincodeRegister(call));
    const user = await new UsersClient(context).register(person);

    const [call] = context.calls;
    expect(call).toMatchObject({ kind: 'submit', contract: 'users', transaction: 'Register' });
    expect(call?.arguments).toEqual([]);
    const salt = call?.transientData['salt'] ?? '';
    expect(salt).toMatch(/^[0-9a-f]{32}$/);
    expect(call?.transientData['reference']).toBe(person.platformRef);
    expect(call?.transientData['referenceSecret']).toBe(FAKE_REFERENCE_SECRET);
    expect(JSON.parse(call?.transientData['user'] ?? '')).toEqual({
      name: person.name,
      idType: person.idType,
      idNumber: person.idNumber,
    });
    expect(user.userId).toBe(chaincodeUserId(MSP, FAKE_REFERENCE_SECRET, person.platformRef));
  });

  it('makes a fresh salt for every registration', async () => {
    const context = new FakeContext(MSP, (call) => chaincodeRegister(call));
    const users = new UsersClient(context);
    await users.register(person);
    await users.register({ ...person, platformRef: 'other' });
    const [first, second] = context.calls.map((c) => c.transientData['salt']);
    expect(first).not.toBe(second);
  });

  it('refuses a result whose commitment is not over what was sent', async () => {
    const context = new FakeContext(MSP, (call) => chaincodeRegister(call, true));
    await expect(new UsersClient(context).register(person)).rejects.toThrow(
      /^BAD_RESPONSE: the commitment recorded for U[0-9a-f]{32} does not match/,
    );
  });
});

describe('users.idFor', () => {
  it("computes the chaincode's user ID for this platform, keyed with its secret", () => {
    const users = new UsersClient(new FakeContext(MSP, () => json(null)));
    expect(users.idFor('alice')).toBe(chaincodeUserId(MSP, FAKE_REFERENCE_SECRET, 'alice'));
  });
});

describe('without a reference secret', () => {
  it('fails REFERENCE_SECRET_MISSING and sends nothing', async () => {
    const context = new FakeContext(MSP, (call) => chaincodeRegister(call));
    context.referenceSecret = undefined;
    const users = new UsersClient(context);
    expect(() => users.idFor('alice')).toThrow(/^REFERENCE_SECRET_MISSING: user IDs are keyed/);
    await expect(users.register(person)).rejects.toThrow(/^REFERENCE_SECRET_MISSING: /);
    expect(context.calls).toEqual([]);
  });
});
