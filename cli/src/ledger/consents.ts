import { keyIdOf, readConsentRequest, SIGNED_ACTIONS, verifyConsentSignature } from '@crowdledger/client';
import { common, peer } from '@hyperledger/fabric-protos';
import type { RawBlock } from './block';

/**
 * `ledger verify --consents` (R7): every user's signed request, re-checked
 * from the blocks alone. Each valid transaction of the chaincode that
 * carries a signed request (its arguments are the request's canonical text
 * and the signature) must verify under the public key the user had
 * registered at that point of the chain: the key of the last valid
 * keys:Register before it, itself checked as signed by the key it
 * registers. Nothing is read from any peer's state.
 */

/** A signed request that does not hold up, named by block and transaction. */
export interface ConsentFailure {
  readonly block: string;
  /** The transaction's position in its block. */
  readonly transaction: number;
  readonly txId: string;
  /** The transaction, `contract:Transaction`. */
  readonly action: string;
  /** The user the request names, when it could be read. */
  readonly userId: string;
  readonly reason: string;
}

/** What the consent check of one node's chain found. */
export interface ConsentSummary {
  /** Signed requests re-checked, key registrations included. */
  readonly checked: number;
  /** Key registrations among them, each the start of a user's key. */
  readonly registrations: number;
  /** Every request that failed, in chain order. */
  readonly failures: readonly ConsentFailure[];
}

interface SignedInvocation {
  readonly txId: string;
  readonly action: string;
  readonly request: string;
  readonly signature: string;
}

const VALID = peer.TxValidationCode.VALID;
const TRANSACTIONS_FILTER = common.BlockMetadataIndex.TRANSACTIONS_FILTER;
const ENDORSER_TRANSACTION = common.HeaderType.ENDORSER_TRANSACTION;
const SIGNED: ReadonlySet<string> = new Set(SIGNED_ACTIONS);
const utf8 = new TextDecoder();

/** The chaincode invocations in one envelope with their arguments; empty for anything but an endorser transaction. */
function invocationsOf(envelopeBytes: Uint8Array, chaincode: string): SignedInvocation[] {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = common.ChannelHeader.deserializeBinary(
    payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
  );
  if (header.getType() !== ENDORSER_TRANSACTION) {
    return [];
  }
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  return transaction.getActionsList().flatMap((action) => {
    const args = argumentsOf(action, chaincode);
    const [fn = '', request = '', signature = ''] = args.map((a) => utf8.decode(a));
    return SIGNED.has(fn) ? [{ txId: header.getTxId(), action: fn, request, signature }] : [];
  });
}

/** Action → proposal payload → invocation spec → its arguments, when it invokes this chaincode. */
function argumentsOf(action: peer.TransactionAction, chaincode: string): Uint8Array[] {
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const proposal = peer.ChaincodeProposalPayload.deserializeBinary(
    actionPayload.getChaincodeProposalPayload_asU8(),
  );
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposal.getInput_asU8()).getChaincodeSpec();
  return spec?.getChaincodeId()?.getName() === chaincode ? (spec.getInput()?.getArgsList_asU8() ?? []) : [];
}

/** Checks one node's chain, block after block, keeping only each user's current public key. */
export class ConsentChecker {
  readonly #chaincode: string;
  readonly #keys = new Map<string, string>();
  readonly #failures: ConsentFailure[] = [];
  #checked = 0;
  #registrations = 0;

  constructor(chaincode: string) {
    this.#chaincode = chaincode;
  }

  summary(): ConsentSummary {
    return { checked: this.#checked, registrations: this.#registrations, failures: [...this.#failures] };
  }

  /** Checks the block's valid signed transactions; returns what failed in it. */
  check(block: RawBlock): ConsentFailure[] {
    const flags = block.metadata[TRANSACTIONS_FILTER] ?? new Uint8Array();
    const found: ConsentFailure[] = [];
    block.data.forEach((bytes, index) => {
      if (flags[index] !== VALID) {
        return;
      }
      const at = { block: block.number.toString(), transaction: index };
      let invocations: SignedInvocation[];
      try {
        invocations = invocationsOf(bytes, this.#chaincode);
      } catch {
        const reason = 'the transaction cannot be read, so its signed request cannot be checked';
        found.push({ ...at, txId: '', action: '', userId: '', reason });
        return;
      }
      for (const invocation of invocations) {
        const failure = this.#checkOne(invocation);
        if (failure !== undefined) {
          found.push({ ...at, txId: invocation.txId, action: invocation.action, ...failure });
        }
      }
    });
    this.#failures.push(...found);
    return found;
  }

  #checkOne(invocation: SignedInvocation): { userId: string; reason: string } | undefined {
    this.#checked += 1;
    const reading = readConsentRequest(invocation.request);
    if (!reading.ok) {
      return { userId: '', reason: `the signed request cannot be read: ${reading.problem}` };
    }
    const { request } = reading;
    if (request.action !== invocation.action) {
      return { userId: request.userId, reason: `the request was signed for ${request.action}` };
    }
    const registering = request.action === 'keys:Register';
    const key = registering
      ? String((request.params as { publicKey?: unknown }).publicKey)
      : this.#keys.get(request.userId);
    if (key === undefined) {
      return { userId: request.userId, reason: `${request.userId} had no key registered at this block` };
    }
    if (!verifyConsentSignature(key, invocation.request, invocation.signature)) {
      const whose = registering
        ? 'the key it registers'
        : `${request.userId}'s key ${keyIdOf(key)} registered at this block`;
      return { userId: request.userId, reason: `the signature does not verify under ${whose}` };
    }
    if (registering) {
      this.#registrations += 1;
      this.#keys.set(request.userId, key);
    }
    return undefined;
  }
}
