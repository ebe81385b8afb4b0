import type {
  CampaignAllocation,
  CampaignSettlement,
  Commitment,
  CommitmentChange,
} from '@crowdledger/client';
import { type Command, Option } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { CliError } from '../errors';
import { buyerLimits, parseInstant, parseUnits, WHEN, withSaleTerms } from '../input/terms';
import { count, formatTable, major, printResult, sentenceAndFacts } from '../output';
import { step } from '../progress';
import { withExamples } from './shared/help';
import { allocationName, listingFacts } from './shared/sales';
import {
  type SignerOption,
  consentOf,
  withSigner,
  withQuiet,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './shared/write-options';

interface CreateOptions extends WriteOptions, SignerOption {
  readonly asset: string;
  readonly seller: string;
  readonly units: number;
  readonly target: number;
  readonly price: number;
  readonly min?: number;
  readonly max?: number;
  readonly deadline: Date;
  readonly allocation: 'first-come' | 'pro-rata';
}

const ALLOCATIONS: Readonly<Record<CreateOptions['allocation'], CampaignAllocation>> = {
  'first-come': 'FIRST_COME',
  'pro-rata': 'PRO_RATA',
};

interface InvestorOptions extends WriteOptions, SignerOption {
  readonly investor: string;
  readonly units?: number;
}

/** `crowdledger campaigns …`: crowdfunding campaigns with a target and a deadline (R9). */
export function registerCampaignsCommands(program: Command): void {
  const campaigns = program
    .command('campaigns')
    .description('crowdfunding campaigns: create, commit, withdraw, settle, list commitments');
  withExamples(
    campaigns,
    'crowdledger campaigns create --org platform1 --asset A0123… --seller U0456… --units 200 --target 100 --price 1000 --deadline 7d',
    'crowdledger campaigns settle L0123… --org platform1',
  );
  addCreateCommand(campaigns);
  addCommitCommand(campaigns);
  addWithdrawCommand(campaigns);
  addSettleCommand(campaigns);
  addCommitmentsCommand(campaigns);
}

function addCreateCommand(campaigns: Command): void {
  const create = withSaleTerms(
    withQuiet(
      withSigner(
        withWriteOptions(
          campaigns
            .command('create')
            .description(
              "offer a seller's units to investors of every platform until a deadline; the units go into escrow",
            ),
        ),
        "seller's",
      ),
      'campaign (listing) ID',
    ),
    'investor',
  )
    .requiredOption('--target <n>', 'committed units needed by the deadline; at most --units', parseUnits)
    .requiredOption('--deadline <when>', WHEN, (v) => parseInstant(v))
    .addOption(
      new Option(
        '--allocation <rule>',
        'how units are shared if investors commit more than --units: in order of commitment, or in proportion',
      )
        .choices(Object.keys(ALLOCATIONS))
        .default('first-come'),
    )
    .action(createCampaign);
  withExamples(
    create,
    'crowdledger campaigns create --org platform1 --asset A0123… --seller U0456… --units 200 --target 100 --price 1000 --min 10 --max 100 --deadline 2026-09-30T16:00:00Z',
  );
}

async function createCampaign(options: CreateOptions): Promise<void> {
  if (options.target > options.units) {
    throw new CliError(
      `--target ${String(options.target)} is more than the ${String(options.units)} units offered`,
    );
  }
  const { min, max } = buyerLimits(options.units, options.min, options.max);
  const consent = await consentOf(options);
  const terms = {
    assetId: options.asset,
    sellerId: options.seller,
    units: options.units,
    targetUnits: options.target,
    pricePerUnit: options.price,
    minPerInvestor: min,
    maxPerInvestor: max,
    deadline: options.deadline,
    allocation: ALLOCATIONS[options.allocation],
  };
  const campaign = await withClient(writeConnection(options), (c) =>
    step(`creating a campaign for ${String(options.units)} units of ${options.asset}`, () =>
      c.campaigns.create(terms, consent),
    ),
  );
  printResult(options, {
    value: campaign,
    id: campaign.listingId,
    human: () =>
      sentenceAndFacts(
        `Campaign ${campaign.listingId} open until ${campaign.expiresAt}; it settles only if ${String(options.target)} units are committed by then, allocating ${options.allocation} if more are.`,
        listingFacts(campaign),
      ),
  });
}

function changeText(verb: string, change: CommitmentChange): string {
  const { commitment: c, listing: l } = change;
  const rule = allocationName(l.allocation ?? 'FIRST_COME');
  return `${c.buyerId} ${verb} ${String(c.units)} units of ${l.listingId}; units are allocated ${rule} when it settles (crowdledger campaigns commitments ${l.listingId} shows every commitment).`;
}

function addCommitCommand(campaigns: Command): void {
  const commit = withSigner(
    withWriteOptions(
      campaigns
        .command('commit')
        .description(
          "reserve units in a campaign for one of the platform's users; they sign; nothing moves until it settles",
        )
        .argument('<listingId>', 'the campaign, L + hex digits'),
    ),
    "investor's",
  )
    .requiredOption('--investor <userId>', "the investing user, one of the platform's")
    .requiredOption('--units <n>', 'units to commit', parseUnits)
    .action(async (listingId: string, options: InvestorOptions & { units: number }) => {
      const consent = await consentOf(options);
      const change = await withClient(writeConnection(options), (c) =>
        step(`committing ${String(options.units)} units to ${listingId}`, () =>
          c.campaigns.commit(listingId, options.investor, options.units, consent),
        ),
      );
      printResult(options, { value: change, human: () => changeText('has committed', change) });
    });
  withExamples(
    commit,
    'crowdledger campaigns commit L0123… --org platform2 --investor U0456… --units 60 --signer li.key',
  );
}

function addWithdrawCommand(campaigns: Command): void {
  const withdraw = withSigner(
    withWriteOptions(
      campaigns
        .command('withdraw')
        .description("release an investor's whole commitment, until 48 hours before the deadline; they sign")
        .argument('<listingId>', 'the campaign, L + hex digits'),
    ),
    "investor's",
  )
    .requiredOption('--investor <userId>', "the investing user, one of the platform's")
    .action(async (listingId: string, options: InvestorOptions) => {
      const consent = await consentOf(options);
      const change = await withClient(writeConnection(options), (c) =>
        step(`withdrawing the commitment of ${options.investor}`, () =>
          c.campaigns.withdraw(listingId, options.investor, consent),
        ),
      );
      printResult(options, { value: change, human: () => changeText('withdrew', change) });
    });
  withExamples(
    withdraw,
    'crowdledger campaigns withdraw L0123… --org platform2 --investor U0456… --signer li.key',
  );
}

function addSettleCommand(campaigns: Command): void {
  const settle = withWriteOptions(
    campaigns
      .command('settle')
      .description(
        'after the deadline, settle a campaign: if the target was met units are allocated by its rule and become trades, else all commitments are released',
      )
      .argument('<listingId>', 'the campaign, L + hex digits'),
  ).action(async (listingId: string, options: WriteOptions) => {
    const settled = await withClient(writeConnection(options), (c) =>
      step(`settling ${listingId}`, () => c.campaigns.settle(listingId)),
    );
    printResult(options, { value: settled, human: () => settledText(settled) });
  });
  withExamples(settle, 'crowdledger campaigns settle L0123… --org platform1');
}

export function settledText(s: CampaignSettlement): string {
  const l = s.listing;
  if (l.status !== 'SUCCEEDED') {
    return `Campaign ${l.listingId} ${l.status}: the target was not met; ${count(s.releases.length, 'commitment')} released.`;
  }
  const allocated = s.settled.reduce((sum, c) => sum + (c.allocatedUnits ?? 0), 0);
  const refunds = s.settled.reduce((sum, c) => sum + (c.refund ?? 0), 0);
  const allocatedTo = s.settled.filter((c) => (c.allocatedUnits ?? 0) > 0).length;
  const lines = [
    `Campaign ${l.listingId} SUCCEEDED: ${String(allocated)} of ${String(l.units)} units allocated ${allocationName(l.allocation ?? 'FIRST_COME')} to ${count(allocatedTo, 'investor')}; ${major(refunds)} (${String(refunds)} minor units) to refund.`,
    '',
    outcomeTable(s.settled),
  ];
  if (s.certificatesDue.length > 0) {
    lines.push('', `Due a certificate (new holders): ${s.certificatesDue.join(', ')}`);
    lines.push(
      'Their platforms issue them: crowdledger certificates issue-due --org <platform> --out <folder>',
    );
  }
  return lines.join('\n');
}

function outcomeTable(settled: readonly Commitment[]): string {
  const rows = settled.map((c) => [c.buyerId, c.units, c.allocatedUnits ?? 0, c.amount ?? 0, c.refund ?? 0]);
  return formatTable(['investor', 'committed', 'allocated', 'amount', 'refund'], rows);
}

function addCommitmentsCommand(campaigns: Command): void {
  const commitments = withConnectionOptions(
    campaigns
      .command('commitments')
      .description(
        "a campaign's commitments, in investor ID order; after settlement with what each was allocated",
      )
      .argument('<listingId>', 'the campaign, L + hex digits'),
  )
    .option('--json', 'print JSON instead of a table')
    .action(async (listingId: string, options: ConnectionOptions & { json?: boolean }) => {
      const found = await withClient(options, (c) => c.campaigns.commitments(listingId));
      printResult(options, { value: found, human: () => commitmentsTable(found) });
    });
  withExamples(commitments, 'crowdledger campaigns commitments L0123…');
}

function commitmentsTable(found: readonly Commitment[]): string {
  const rows = found.map((c) => [c.buyerId, c.buyerPlatform, c.units, c.committedAt, c.allocatedUnits ?? '']);
  const total = found.reduce((sum, c) => sum + c.units, 0);
  const table = formatTable(['investor', 'platform', 'units', 'committed at', 'allocated'], rows);
  return `${table}\n${count(found.length, 'commitment')}, ${String(total)} units committed.`;
}
