/** The shape network/layout.sh writes, cut down to one platform. */
export function sampleLayout(home: string): Record<string, unknown> {
  const n = (name: string, port: number, extra: Record<string, number>): Record<string, unknown> => ({
    name,
    host: '127.0.0.1',
    port,
    dir: `${home}/nodes/${name}`,
    ...extra,
  });
  return {
    home,
    channel: 'crowdledger',
    chaincode: 'crowdledger',
    orgs: [
      {
        key: 'registry',
        mspId: 'RegistryMSP',
        ca: n('ca.registry', 7000, { opsPort: 7001 }),
        orderers: [n('orderer0.registry', 7010, { adminPort: 7011, opsPort: 7012 })],
        peers: [n('peer0.registry', 7040, { ccPort: 7041, opsPort: 7042, chaincodePort: 7043 })],
      },
      {
        key: 'platform1',
        mspId: 'Platform1MSP',
        ca: n('ca.platform1', 7100, { opsPort: 7101 }),
        orderers: [],
        peers: [n('peer0.platform1', 7140, { ccPort: 7141, opsPort: 7142, chaincodePort: 7143 })],
      },
    ],
  };
}
