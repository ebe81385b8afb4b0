import { Object as DataType, Property } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import type { JsonValue } from '@crowdledger/protocol';
import {
  requireArray,
  requireBoolean,
  requireFields,
  requireLine,
  requireOneOf,
  requireProse,
  requireSha256Hex,
  requireText,
  requireWholeNumber,
} from '../values/guards';

/**
 * The descriptive parts of an asset (R2): attributes and rights. Each type
 * parses itself from JSON with the path of the field in its sentences, for
 * both the registration argument and the stored record.
 */

export const ASSET_CATEGORIES = ['EQUITY', 'DEBT', 'FUND', 'REVENUE_SHARE', 'OTHER'] as const;
export type AssetCategory = (typeof ASSET_CATEGORIES)[number];

export const MAX_DOCUMENTS = 50;
export const MAX_TERMS = 50;
export const MAX_VOTES_PER_UNIT = 1_000_000;

const URI = /^[^\s\p{Cc}]+$/u;
const CURRENCY = /^[A-Z]{3}$/;

@DataType()
export class AssetDocument {
  @Property('name', 'string')
  readonly name: string;

  /** SHA-256 of the document, lower-case hex: the ledger keeps the hash, not the file. */
  @Property('sha256', 'string')
  readonly sha256: string;

  @Property('uri', 'string')
  readonly uri: string;

  constructor(name: string, sha256: string, uri: string) {
    this.name = name;
    this.sha256 = sha256;
    this.uri = uri;
  }

  static parse(value: unknown, path: string): AssetDocument {
    const fields = requireFields(value, path, ['name', 'sha256', 'uri']);
    return new AssetDocument(
      requireLine(fields['name'], `${path}.name`, 200),
      requireSha256Hex(fields['sha256'], `${path}.sha256`),
      requireText(fields['uri'], `${path}.uri`, {
        expected: '1 to 2048 characters without spaces or control characters',
        pattern: URI,
        maxLength: 2048,
      }),
    );
  }

  toJson(): JsonValue {
    return { name: this.name, sha256: this.sha256, uri: this.uri };
  }
}

@DataType()
export class AssetAttributes {
  @Property('name', 'string')
  readonly name: string;

  /** EQUITY | DEBT | FUND | REVENUE_SHARE | OTHER */
  @Property('category', 'string')
  readonly category: AssetCategory;

  @Property('description', 'string')
  readonly description: string;

  /** ISO 4217 code, three upper-case letters. */
  @Property('currency', 'string')
  readonly currency: string;

  @Property('documents', 'AssetDocument[]')
  readonly documents: readonly AssetDocument[];

  constructor(fields: Omit<AssetAttributes, 'toJson'>) {
    this.name = fields.name;
    this.category = fields.category;
    this.description = fields.description;
    this.currency = fields.currency;
    this.documents = fields.documents;
  }

  static parse(value: unknown, path: string): AssetAttributes {
    const fields = requireFields(value, path, ['name', 'category', 'description', 'currency', 'documents']);
    const documents = requireArray(fields['documents'], `${path}.documents`, 0, MAX_DOCUMENTS);
    return new AssetAttributes({
      name: requireLine(fields['name'], `${path}.name`, 200),
      category: requireOneOf(fields['category'], `${path}.category`, ASSET_CATEGORIES),
      description: requireProse(fields['description'], `${path}.description`, 4000),
      currency: requireText(fields['currency'], `${path}.currency`, {
        expected: 'an ISO 4217 code of three upper-case letters such as CNY',
        pattern: CURRENCY,
        maxLength: 3,
      }),
      documents: documents.map((entry, i) => AssetDocument.parse(entry, `${path}.documents[${String(i)}]`)),
    });
  }

  toJson(): JsonValue {
    return {
      name: this.name,
      category: this.category,
      description: this.description,
      currency: this.currency,
      documents: this.documents.map((document) => document.toJson()),
    };
  }
}

@DataType()
export class VotingRights {
  @Property('enabled', 'boolean')
  readonly enabled: boolean;

  /** 0 exactly when voting is disabled. */
  @Property('votesPerUnit', 'number')
  readonly votesPerUnit: number;

  constructor(enabled: boolean, votesPerUnit: number) {
    this.enabled = enabled;
    this.votesPerUnit = votesPerUnit;
  }

  static parse(value: unknown, path: string): VotingRights {
    const fields = requireFields(value, path, ['enabled', 'votesPerUnit']);
    const enabled = requireBoolean(fields['enabled'], `${path}.enabled`);
    const votes = enabled
      ? requireWholeNumber(fields['votesPerUnit'], `${path}.votesPerUnit`, 1, MAX_VOTES_PER_UNIT)
      : requireWholeNumber(fields['votesPerUnit'], `${path}.votesPerUnit (voting disabled)`, 0, 0);
    return new VotingRights(enabled, votes);
  }

  toJson(): JsonValue {
    return { enabled: this.enabled, votesPerUnit: this.votesPerUnit };
  }
}

@DataType()
export class DividendRights {
  @Property('enabled', 'boolean')
  readonly enabled: boolean;

  /** How dividends are decided and paid; may be empty only when disabled. */
  @Property('policy', 'string')
  readonly policy: string;

  constructor(enabled: boolean, policy: string) {
    this.enabled = enabled;
    this.policy = policy;
  }

  static parse(value: unknown, path: string): DividendRights {
    const fields = requireFields(value, path, ['enabled', 'policy']);
    const enabled = requireBoolean(fields['enabled'], `${path}.enabled`);
    return new DividendRights(enabled, requireProse(fields['policy'], `${path}.policy`, 2000, !enabled));
  }

  toJson(): JsonValue {
    return { enabled: this.enabled, policy: this.policy };
  }
}

@DataType()
export class OtherTerm {
  @Property('name', 'string')
  readonly name: string;

  @Property('value', 'string')
  readonly value: string;

  constructor(name: string, value: string) {
    this.name = name;
    this.value = value;
  }

  static parse(value: unknown, path: string): OtherTerm {
    const fields = requireFields(value, path, ['name', 'value']);
    return new OtherTerm(
      requireLine(fields['name'], `${path}.name`, 100),
      requireProse(fields['value'], `${path}.value`, 2000),
    );
  }

  toJson(): JsonValue {
    return { name: this.name, value: this.value };
  }
}

@DataType()
export class AssetRights {
  @Property('voting', 'VotingRights')
  readonly voting: VotingRights;

  @Property('dividend', 'DividendRights')
  readonly dividend: DividendRights;

  /** Further equity terms, in the order given; names are unique. */
  @Property('otherTerms', 'OtherTerm[]')
  readonly otherTerms: readonly OtherTerm[];

  constructor(voting: VotingRights, dividend: DividendRights, otherTerms: readonly OtherTerm[]) {
    this.voting = voting;
    this.dividend = dividend;
    this.otherTerms = otherTerms;
  }

  static parse(value: unknown, path: string): AssetRights {
    const fields = requireFields(value, path, ['voting', 'dividend', 'otherTerms']);
    const entries = requireArray(fields['otherTerms'], `${path}.otherTerms`, 0, MAX_TERMS);
    const terms = entries.map((entry, i) => OtherTerm.parse(entry, `${path}.otherTerms[${String(i)}]`));
    const names = new Set<string>();
    for (const term of terms) {
      if (names.has(term.name)) {
        throw new ChaincodeError('INVALID_ARGUMENT', `${path}.otherTerms names ${term.name} twice`);
      }
      names.add(term.name);
    }
    return new AssetRights(
      VotingRights.parse(fields['voting'], `${path}.voting`),
      DividendRights.parse(fields['dividend'], `${path}.dividend`),
      terms,
    );
  }

  toJson(): JsonValue {
    return {
      voting: this.voting.toJson(),
      dividend: this.dividend.toJson(),
      otherTerms: this.otherTerms.map((term) => term.toJson()),
    };
  }
}
