// Fault scenarios kill and restart nodes: they run only on the network
// `make reliability` brings up for them, never on a shared one by accident.
if (process.env['CROWDLEDGER_RELIABILITY'] !== '1') {
  throw new Error('reliability tests kill nodes: run them through `make reliability`');
}
jest.setTimeout(600_000);
