/*
 * What CrowdLedger's chaincode and client must agree on, written once: error
 * codes, ID formats and derivations, ID types, contract, transaction, event
 * and transient-field names, the wire types of results and event payloads,
 * the canonical bytes of what is hashed or
 * signed, how a signed request is read and verified, and the proposal time
 * window deadlines allow for. No runtime dependencies, so the chaincode and the SDK both import it.
 */
export * from './canonical';
export * from './codes';
export * from './consent';
export * from './holders';
export * from './ids';
export * from './names';
export * from './personal-data';
export * from './state-keys';
export * from './time';
export * from './wire';
