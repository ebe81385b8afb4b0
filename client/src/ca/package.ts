import { createRequire } from 'node:module';
import type FabricCAServices from 'fabric-ca-client';
import type * as FabricCommon from 'fabric-common';

/** fabric-ca-client's service class and the fabric-common classes its registrar is made of. */
export interface CaPackages {
  /** fabric-ca-client's module export. */
  readonly FabricCAServices: typeof FabricCAServices;
  /** fabric-common's module export. */
  readonly common: typeof FabricCommon;
}

// Loading fabric-ca-client takes ~0.4 s and ~17 MB (fabric-common brings
// gRPC, protobuf definitions, winston, nconf): load it when the first CA
// client is made, not with every import of the SDK or every CLI command.
const load = createRequire(__filename);
let loaded: CaPackages | undefined;

/** The packages, loaded on first use. */
export function caPackages(): CaPackages {
  loaded ??= {
    FabricCAServices: load('fabric-ca-client') as typeof FabricCAServices,
    common: load('fabric-common') as typeof FabricCommon,
  };
  return loaded;
}
