import { canonicalBytes, type JsonValue } from '@crowdledger/protocol';
import { Property } from 'fabric-contract-api';
import { type Codec, parseStored } from '../values/codec';
import { ChaincodeError } from '../values/errors';
import { type Fields, requireFields } from '../values/guards';

/*
 * A stored record declares its fields once, as a schema: each field's
 * contract metadata type and the guard that reads it. The record's type, its
 * parser, its required-field list, its canonical JSON and its @Property
 * metadata all come from that one declaration.
 */

/**
 * One field: its type in the contract metadata ('string', 'number',
 * 'boolean' or another @Object type's name), the guard that reads it from
 * JSON, and its JSON form. The guard gets the field's name for its sentence
 * and the fields read before it, for a bound that depends on one of them
 * (remaining ≤ units).
 */
export interface Field<T, Optional extends boolean = boolean> {
  readonly type: string;
  readonly optional: Optional;
  readonly parse: (value: unknown, name: string, earlier: Fields) => T;
  json(value: T): JsonValue;
}

type Guard<T> = (value: unknown, name: string, earlier: Fields) => T;

const asJson = (value: JsonValue): JsonValue => value;

/** A required string field. */
export function text<T extends string>(parse: Guard<T>): Field<T, false> {
  return { type: 'string', optional: false, parse, json: asJson };
}

/** A required number field. */
export function count(parse: Guard<number>): Field<number, false> {
  return { type: 'number', optional: false, parse, json: asJson };
}

/** A required boolean field. */
export function flag(parse: Guard<boolean>): Field<boolean, false> {
  return { type: 'boolean', optional: false, parse, json: asJson };
}

/** A required field holding another @Object type, named as its metadata type. */
export function nested<T extends { toJson(): JsonValue }>(type: string, parse: Guard<T>): Field<T, false> {
  return { type, optional: false, parse, json: (value) => value.toJson() };
}

/**
 * A field of a result the chaincode builds and returns but never stores or
 * reads back: described to the contract metadata, never parsed.
 */
export function shown<T>(type: string): Field<T, false> {
  return {
    type,
    optional: false,
    parse: (_value, name) => {
      throw new ChaincodeError('CORRUPT_STATE', `${name} belongs to a result, which is never read back`);
    },
    json: (value) => (hasToJson(value) ? value.toJson() : (value as JsonValue)),
  };
}

function hasToJson(value: unknown): value is { toJson(): JsonValue } {
  return typeof (value as { toJson?: unknown } | null)?.toJson === 'function';
}

/** The same field, absent from records that do not have it. */
export function optional<T>(field: Field<T, false>): Field<T, true> {
  return { ...field, optional: true };
}

/** A record's fields, in the order they are stored and read. */
export type Schema = Readonly<Record<string, Field<unknown>>>;

type ValueOf<F> = F extends Field<infer T> ? T : never;
type RequiredName<S extends Schema> = {
  [K in keyof S]: S[K] extends Field<unknown, false> ? K : never;
}[keyof S];
type OptionalName<S extends Schema> = Exclude<keyof S, RequiredName<S>>;

/** The fields a schema declares: required ones always, optional ones when present. */
export type FieldsOf<S extends Schema> = {
  readonly [K in RequiredName<S>]: ValueOf<S[K]>;
} & { readonly [K in OptionalName<S>]?: ValueOf<S[K]> };

/**
 * Reads an object with exactly the schema's fields (an unknown field is
 * refused, a required one must be there), each through its guard, in
 * schema order.
 */
export function parseFields<S extends Schema>(schema: S, value: unknown, what: string): FieldsOf<S> {
  const names = Object.keys(schema);
  const optionalNames = names.filter((name) => schema[name]?.optional === true);
  const raw = requireFields(
    value,
    what,
    names.filter((name) => !optionalNames.includes(name)),
    optionalNames,
  );
  const parsed: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema)) {
    if (raw[name] !== undefined || !field.optional) {
      parsed[name] = field.parse(raw[name], name, parsed);
    }
  }
  return parsed as FieldsOf<S>;
}

/** The schema's fields of a record, in schema order; absent optional fields stay absent. */
export function pickFields<S extends Schema>(schema: S, record: FieldsOf<S>): FieldsOf<S> {
  const source = record as Readonly<Record<string, unknown>>;
  const picked: Record<string, unknown> = {};
  for (const name of Object.keys(schema)) {
    const value = source[name];
    if (value !== undefined) {
      picked[name] = value;
    }
  }
  return picked as FieldsOf<S>;
}

/** What every record built on {@link record} has besides its fields. */
export interface RecordMethods<S extends Schema> {
  /** The record's fields as a plain object, in schema order. */
  fields(): FieldsOf<S>;
  /** The fields as JSON, for event payloads and results that nest the record. */
  toJson(): Record<string, JsonValue>;
  /** Canonical JSON bytes: what the ledger stores and events carry. */
  toBytes(): Uint8Array;
}

/** A class whose instances hold the schema's fields, set once by its constructor. */
export type RecordClass<S extends Schema> = new (
  fields: FieldsOf<S>,
) => Readonly<FieldsOf<S>> & RecordMethods<S>;

/**
 * The base class of a record: `class Holding extends record(HOLDING)`. Its
 * constructor sets exactly the schema's fields, and each field gets its
 * @Property metadata here; the subclass carries @Object (DataType).
 *
 * fabric-contract-api's @Object names a superclass by the constructor of the
 * class's prototype's prototype and would then describe the record as
 * "allOf" an unknown type. This base's prototype has no constructor of its
 * own, so that name is Object's and the record stands alone, with the
 * properties set here (metadata is read through the prototype chain).
 */
export function record<S extends Schema>(schema: S): RecordClass<S> {
  function RecordBase(this: object, fields: FieldsOf<S>): void {
    Object.assign(this, pickFields(schema, fields));
  }
  function fields(this: FieldsOf<S>): FieldsOf<S> {
    return pickFields(schema, this);
  }
  function toJson(this: RecordMethods<S>): Record<string, JsonValue> {
    const json: Record<string, JsonValue> = {};
    for (const [name, value] of Object.entries(this.fields())) {
      json[name] = (schema[name] as Field<unknown>).json(value);
    }
    return json;
  }
  function toBytes(this: RecordMethods<S>): Uint8Array {
    return canonicalBytes(this.toJson());
  }
  // Not enumerable, as a class's methods are not.
  const prototype = Object.create(Object.prototype, {
    fields: { value: fields },
    toJson: { value: toJson },
    toBytes: { value: toBytes },
  }) as object;
  RecordBase.prototype = prototype;
  for (const [name, field] of Object.entries(schema)) {
    Property(name, field.type)(prototype, name);
  }
  return RecordBase as unknown as RecordClass<S>;
}

/** The codec of a record type: its parser on read, its canonical bytes on write. */
export function recordCodec<T extends { toBytes(): Uint8Array }>(parse: (value: unknown) => T): Codec<T> {
  return {
    fromBytes: (bytes, key) => parseStored(bytes, key, parse),
    toBytes: (value) => value.toBytes(),
  };
}
