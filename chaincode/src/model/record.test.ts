import 'reflect-metadata';
import { Asset } from './asset';
import { Holding } from './holding';
import { Listing } from './listing';
import { count, optional, parseFields, record, text } from './record';

interface ObjectMetadata {
  readonly type?: string;
  readonly allOf?: unknown;
  readonly properties?: Readonly<Record<string, unknown>>;
}

function metadataOf(name: string): ObjectMetadata | undefined {
  const objects = Reflect.getMetadata('fabric:objects', global) as Record<string, ObjectMetadata> | undefined;
  return objects?.[name];
}

const word = (value: unknown, name: string): string => {
  if (typeof value !== 'string') {
    throw new Error(`${name} must be a string`);
  }
  return value;
};
const SAMPLE = { a: text(word), b: count((value) => Number(value)), c: optional(text(word)) };

describe('record schemas', () => {
  it('give each record the contract metadata its fields declare, standing alone (no allOf)', () => {
    // Holding, Listing and Asset are read before this runs, so their @Object has been applied.
    expect([Holding, Listing, Asset].map((type) => type.name)).toEqual(['Holding', 'Listing', 'Asset']);
    expect(metadataOf('Holding')).toMatchObject({
      type: 'object',
      properties: {
        assetId: { type: 'string' },
        userId: { type: 'string' },
        units: { type: 'number' },
        escrowed: { type: 'number' },
        certificate: { type: 'string' },
      },
    });
    expect(metadataOf('Holding')?.allOf).toBeUndefined();
    expect(Object.keys(metadataOf('Listing')?.properties ?? {})).toContain('targetUnits');
    expect(metadataOf('Asset')?.properties?.['attributes']).toEqual({ $ref: 'AssetAttributes' });
  });

  it('read required fields in order, leave absent optional ones out, and refuse unknown ones', () => {
    expect(parseFields(SAMPLE, { a: 'x', b: 2 }, 'sample')).toEqual({ a: 'x', b: 2 });
    expect(parseFields(SAMPLE, { a: 'x', b: 2, c: 'y' }, 'sample')).toEqual({ a: 'x', b: 2, c: 'y' });
    expect(() => parseFields(SAMPLE, { b: 2 }, 'sample')).toThrow('INVALID_ARGUMENT: sample.a is required');
    expect(() => parseFields(SAMPLE, { a: 'x', b: 2, d: 1 }, 'sample')).toThrow(
      'INVALID_ARGUMENT: sample has an unknown field d',
    );
    expect(() => parseFields(SAMPLE, { a: 1, b: 2 }, 'sample')).toThrow('a must be a string');
  });

  it('set exactly the schema fields, in schema order, and write them as canonical JSON', () => {
    class Sample extends record(SAMPLE) {}
    const extra = { b: 2, a: 'x', z: 'not a field' } as unknown as ConstructorParameters<typeof Sample>[0];
    const sample = new Sample(extra);
    expect(Object.keys(sample)).toEqual(['a', 'b']);
    expect(Buffer.from(sample.toBytes()).toString('utf8')).toBe('{"a":"x","b":2}');
    expect(sample.fields()).toEqual({ a: 'x', b: 2 });
    expect(JSON.stringify(sample)).toBe('{"a":"x","b":2}');
  });
});
