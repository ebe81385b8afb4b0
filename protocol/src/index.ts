/*
 * What CrowdLedger's chaincode and client must agree on, written once: error
 * codes, ID formats and derivations, ID types, contract, transaction, event
 * and transient-field names, the wire types of results and event payloads,
 * and the canonical bytes of what is hashed or
 * signed. No runtime dependencies, so the chaincode and the SDK both import it.
 */
export * from './canonical';
export * from './codes';
export * from './consent';
export * from './holders';
export * from './ids';
export * from './names';
export * from './personal-data';
export * from './state-keys';
export * from './wire';
