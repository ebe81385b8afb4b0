import { campaignRush } from './campaign-rush';
import { certificateIssuance, ledgerVerify } from './measured';
import { registerImport } from './register-import';
import { capTable, holderQuery, registerUser } from './registers';
import { hotListingBuys, independentBuys } from './trading';
import type { Workload } from './workload';

/**
 * Every workload, in the order they run. A new one is a module exporting a
 * LoadWorkload (operations driven at each level, compared with the baseline)
 * or a MeasuredWorkload (timed as a whole), added here.
 */
export const WORKLOADS: readonly Workload[] = [
  registerUser,
  independentBuys,
  hotListingBuys,
  campaignRush,
  holderQuery,
  capTable,
  registerImport,
  certificateIssuance,
  ledgerVerify,
];
