import type { Offer } from '@crowdledger/client';
import type { Command } from 'commander';
import { withClient } from '../connection';
import { parseInstant, parseMinorUnits, parseUnits, WHEN } from '../input/terms';
import { type Cell, major, printResult, sentenceAndFacts } from '../output';
import { step } from '../progress';
import {
  addEscrowCancelCommand,
  addEscrowExpireCommand,
  type EscrowRecordKind,
} from './shared/escrow-release';
import { withExamples } from './shared/help';
import { addShowCommand } from './shared/show-record';
import { boughtText } from './shared/sales';
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
  readonly buyer: string;
  readonly units: number;
  readonly price: number;
  readonly expires: Date;
}

const OFFER: EscrowRecordKind<Offer> = {
  idArgument: ['<offerId>', 'the offer, O + hex digits'],
  read: (c, id) => c.offers.get(id),
  cancel: (c, record, consent) => c.offers.cancel(record.offerId, record.sellerId, consent),
  expire: (c, id) => c.offers.expire(id),
  released: (offer) => offer.units,
  facts: (offer) => offerFacts(offer),
};

export function offerFacts(o: Offer): Cell[][] {
  return [
    ['offer', o.offerId],
    ['status', o.status],
    ['asset', o.assetId],
    ['seller', `${o.sellerId} (${o.sellerPlatform})`],
    ['buyer', `${o.buyerId} (${o.buyerPlatform})`],
    ['units', o.units],
    ['price per unit', `${String(o.pricePerUnit)} (${major(o.pricePerUnit)})`],
    ['expires', o.expiresAt],
    ['created', o.createdAt],
  ];
}

/** `crowdledger offers …`: a seller's units offered privately to one named buyer, all or nothing. */
export function registerOffersCommands(program: Command): void {
  const offers = program.command('offers').description('private offers from one seller to one named buyer');
  withExamples(
    offers,
    'crowdledger offers create --org platform1 --asset A0123… --seller U0456… --buyer U0789… --units 50 --price 1200 --expires 7d',
    'crowdledger offers accept O0123… --org platform2 --signer wang.key',
  );
  addCreateCommand(offers);
  addAcceptCommand(offers);
  addEscrowCancelCommand(offers, OFFER, {
    description: 'withdraw an open offer and release its escrow; the seller signs',
    examples: ['crowdledger offers cancel O0123… --org platform1 --signer zhang.key'],
  });
  addEscrowExpireCommand(offers, OFFER, {
    description:
      'expire an open offer past its time and release its escrow to the seller; any platform may, no key ' +
      '(NOT_EXPIRED before its time)',
    examples: ['crowdledger offers expire O0123… --org platform2'],
  });
  addShowCommand(offers, OFFER, {
    description: 'show one offer (OFFER_NOT_FOUND when there is none)',
    examples: ['crowdledger offers show O0123…', 'crowdledger offers show O0123… --json'],
  });
}

function addCreateCommand(offers: Command): void {
  const create = withQuiet(
    withSigner(
      withWriteOptions(
        offers
          .command('create')
          .description("offer a seller's units to one user of any platform, who takes all or none; escrowed"),
      ),
      "seller's",
    ),
    'offer ID',
  )
    .requiredOption('--asset <assetId>', 'the asset offered')
    .requiredOption('--seller <userId>', "the selling user, one of the platform's")
    .requiredOption('--buyer <userId>', 'the one user who may accept, of any platform')
    .requiredOption('--units <n>', 'units offered', parseUnits)
    .requiredOption('--price <minor>', "price per unit in the currency's minor unit (fen)", parseMinorUnits)
    .requiredOption('--expires <when>', WHEN, (v) => parseInstant(v))
    .action(createOffer);
  withExamples(
    create,
    'crowdledger offers create --org platform1 --asset A0123… --seller U0456… --buyer U0789… --units 50 --price 1200 --expires 7d --signer zhang.key',
  );
}

async function createOffer(options: CreateOptions): Promise<void> {
  const consent = await consentOf(options);
  const terms = {
    assetId: options.asset,
    sellerId: options.seller,
    buyerId: options.buyer,
    units: options.units,
    pricePerUnit: options.price,
    expiresAt: options.expires,
  };
  const offer = await withClient(writeConnection(options), (c) =>
    step(`offering ${String(options.units)} units of ${options.asset} to ${options.buyer}`, () =>
      c.offers.create(terms, consent),
    ),
  );
  printResult(options, {
    value: offer,
    id: offer.offerId,
    human: () =>
      sentenceAndFacts(
        `Offered ${String(offer.units)} units to ${offer.buyerId} as ${offer.offerId}; they are in escrow until accepted, cancelled or expired.`,
        offerFacts(offer),
      ),
  });
}

function addAcceptCommand(offers: Command): void {
  const accept = withSigner(
    withWriteOptions(
      offers
        .command('accept')
        .description("take a whole offer for its buyer, one of the platform's users; the buyer signs")
        .argument('<offerId>', 'the offer, O + hex digits'),
    ),
    "buyer's",
  ).action(async (offerId: string, options: WriteOptions & SignerOption) => {
    const result = await withClient(writeConnection(options), async (c) => {
      // The buyer and the terms they sign are the offer's: read it first.
      const { buyerId, units, pricePerUnit } = await c.offers.get(offerId);
      const consent = await consentOf(options);
      return step(`accepting ${offerId} for ${buyerId} (signed)`, () =>
        c.offers.accept(offerId, buyerId, { ...consent, units, pricePerUnit }),
      );
    });
    printResult(options, {
      value: result,
      id: result.trade.tradeId,
      human: () => boughtText(result, options.org),
    });
  });
  withExamples(accept, 'crowdledger offers accept O0123… --org platform2 --signer wang.key');
}
