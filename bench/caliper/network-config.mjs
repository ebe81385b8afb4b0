// Writes Caliper's network configuration (v2.0, Fabric peer-gateway
// connector) for the running network, from what network/up.sh wrote: the
// layout (channel, chaincode name) and the org's connection profile (peers,
// TLS root, the `app` identity's certificate and key). Only one organisation
// is listed: every bench submit goes through Platform2's application
// identity, and Caliper would open a gateway per listed identity per worker.
//   node bench/caliper/network-config.mjs OUT.json [ORG]   (CROWDLEDGER_HOME set)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import console from 'node:console';
import process from 'node:process';

const [out, org = 'platform2'] = process.argv.slice(2);
const home = process.env.CROWDLEDGER_HOME;
if (out === undefined || home === undefined) {
  console.error('usage: CROWDLEDGER_HOME=… node network-config.mjs OUT.json [ORG]');
  process.exit(2);
}

/** @param {string} path */
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const layout = readJson(join(home, 'layout.json'));
const profile = readJson(join(home, 'profiles', `${org}.json`));
const app = profile.identities.app;

const config = {
  name: 'crowdledger',
  version: '2.0.0',
  caliper: { blockchain: 'fabric' },
  channels: [
    {
      channelName: layout.channel,
      // The register's chaincode, and the bench's baseline (deploy-extra.sh).
      contracts: [{ id: layout.chaincode }, { id: 'baseline' }],
    },
  ],
  organizations: [
    {
      mspid: profile.mspId,
      identities: {
        certificates: [
          { name: 'app', clientPrivateKey: { path: app.key }, clientSignedCert: { path: app.cert } },
        ],
      },
      // The connector dials the first peer, as the SDK does with a profile.
      peers: profile.peers.map(
        (/** @type {{endpoint: string, tlsRootCert: string, tlsHostname?: string}} */ p) => ({
          endpoint: p.endpoint,
          tlsCACerts: { path: p.tlsRootCert },
          grpcOptions: p.tlsHostname === undefined ? {} : { 'ssl-target-name-override': p.tlsHostname },
        }),
      ),
    },
  ],
};
writeFileSync(out, `${JSON.stringify(config, null, 2)}\n`);
