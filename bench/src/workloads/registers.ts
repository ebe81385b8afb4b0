import { capTableAsset, holderCertificate } from '../fixtures';
import type { PhaseRun } from '../drive';
import type { LoadWorkload } from './workload';

/** Per second of a phase's window, `per` for each success. */
function perSecond(run: PhaseRun, per: number): number {
  const successes = run.measured.filter((o) => o.code === undefined).length;
  return Math.round((successes * per) / (run.windowMs / 1000));
}

/** R1: a platform registers a new user; personal data in the transient map, one user record and private data. */
export const registerUser: LoadWorkload = {
  kind: 'load',
  name: 'register-user',
  what: 'users.register by Platform2 (reference, name and ID number in the transient map)',
  mode: 'submit',
  prepare(world) {
    return Promise.resolve({
      operation: () => {
        const platformRef = world.reference('register');
        return world.platform2.users.register({
          platformRef,
          name: `压测 ${platformRef}`,
          idType: 'PASSPORT',
          idNumber: `E${platformRef.replace(/\D/g, '').slice(-8).padStart(8, '0')}`,
        });
      },
    });
  },
};

/** R4: a holder's signed query, relayed by another platform. */
export const holderQuery: LoadWorkload = {
  kind: 'load',
  name: 'holder-query',
  what: "certificates.query: a holder's fresh request signed with the certificate's key, relayed by Platform2 (evaluate)",
  mode: 'evaluate',
  async prepare(world) {
    const holder = await holderCertificate(world);
    return { operation: () => world.platform2.certificates.query(holder) };
  },
};

/** R14: the whole cap table of one asset, as `assets holders` reads it. */
export const capTable: LoadWorkload = {
  kind: 'load',
  name: 'cap-table',
  what: 'assets.capTable (`assets holders`): every holding, and each holder certificate record, one asset',
  mode: 'evaluate',
  // A compliance read, not a platform's hot path: a few at once.
  levels: (config) => config.levels.filter((level) => level <= 8),
  async prepare(world) {
    const assetId = await capTableAsset(world);
    const holders = world.config.capTableHolders;
    return {
      operation: () => world.platform1.assets.capTable(assetId),
      extra: (run) => ({ holders, holdersPerSecond: perSecond(run, holders) }),
    };
  },
};
