// fabric-contract-api logs every decorator, and fabric-shim every failed call,
// at levels that drown the test output; tests assert on the failures instead.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'CRITICAL';
