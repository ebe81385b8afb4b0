// testTimeout is a global jest option, ignored inside a project: integration
// calls wait for blocks and restarts, so they get their own limit here.
jest.setTimeout(180_000);
