import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProposalOptions } from '@hyperledger/fabric-gateway';
import { toCrowdLedgerError, userIdFor } from '../../client/src';
import {
  eventually,
  failureCode,
  networkHome,
  newPerson,
  orgs,
  outcome,
  registration,
  withClient,
  withConnection,
  type OrgKey,
} from './support';

/**
 * R13 as attacks on the deployed chaincode: identities the network really
 * enrols but that hold no writing role try the writes of each role, and the
 * test contract that once took anybody's write is called where it used to be.
 * Every call is refused, and no transaction reaches a block.
 */

/** The chain height once every peer has the same: nothing is on its way to a block. */
async function settledHeight(): Promise<bigint> {
  return eventually(async () => {
    const heights = await Promise.all(orgs.map((org) => withClient(org, (c) => c.chainHeight())));
    expect(new Set(heights).size).toBe(1);
    return heights[0] ?? 0n;
  });
}

const MSP: Record<OrgKey, string> = {
  registry: 'RegistryMSP',
  platform1: 'Platform1MSP',
  platform2: 'Platform2MSP',
};

// Org admins are enrolled without crowdledger.role: they run the nodes, not the register.
const intruders = [
  ['the registry auditor', 'registry', 'auditor'],
  ["the registry's org admin", 'registry', 'admin'],
  ["platform1's org admin", 'platform1', 'admin'],
] as const;

describe.each(intruders)('%s', (_who, org, identity) => {
  it('is refused a platform write, an admin write and a writer write, and nothing is written', async () => {
    const before = await settledHeight();
    const person = newPerson('intruder');
    const assetCaPem = await readFile(join(networkHome(), 'orgs', 'registry', 'assetca-cert.pem'), 'utf8');
    const options = await registration(org, person);
    const codes = await withConnection(org, identity, async (c) => [
      await failureCode(c.contract('users').submit('Register', options)),
      await failureCode(c.contract('identity').submitTransaction('SetAssetCertificateAuthority', assetCaPem)),
      await failureCode(c.contract('listings').submitTransaction('Expire', `L${'0'.repeat(32)}`)),
    ]);
    expect(codes).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    const secret = String(options.transientData?.['referenceSecret'] ?? '');
    const userId = userIdFor(MSP[org], secret, person.platformRef);
    expect(await withClient('registry', (c) => outcome(c.users.get(userId)))).toBe('USER_NOT_FOUND');
    expect(await settledHeight()).toBe(before);
  });
});

describe('the smoke contract', () => {
  const calls: [string, ProposalOptions][] = [
    ['Put', { arguments: ['network-ready', 'v'] }],
    ['PutPrivate', { arguments: ['Platform1MSPPrivate', 'k'], transientData: { value: 'secret' } }],
    ['Get', { arguments: ['network-ready'] }],
  ];

  it.each(calls)(
    'is not deployed: smoke:%s is an unknown contract, and nothing is written',
    async (name, call) => {
      const before = await settledHeight();
      for (const [org, identity] of [
        ['platform1', 'app'],
        ['registry', 'app'],
        ['registry', 'admin'],
      ] as const) {
        const failure = await withConnection(org, identity, (c) =>
          c
            .contract('smoke')
            .submit(name, call)
            .then(
              () => undefined,
              (error: unknown) => toCrowdLedgerError(error),
            ),
        );
        expect(failure).toMatchObject({
          code: 'UNKNOWN_TRANSACTION',
          message: expect.stringContaining('the chaincode has no contract named "smoke"') as unknown,
        });
      }
      expect(await settledHeight()).toBe(before);
    },
  );
});
