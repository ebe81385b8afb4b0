// Writes a register of N holders (register.csv) and its asset (asset.json)
// for bench/import-100k.sh: distinct references and resident IDs with their
// check characters, 1 to 97 units each.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const [count = '100000', ref = 'bench', dir = '.'] = process.argv.slice(2);
const n = Number(count);
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const residentId = (i) => {
  const stem = `1101${String(i).padStart(13, '0')}`;
  const sum = WEIGHTS.reduce((total, w, k) => total + w * Number(stem[k]), 0);
  const check = (12 - (sum % 11)) % 11;
  return stem + (check === 10 ? 'X' : String(check));
};
const lines = ['platform_ref,name,id_number,units'];
let total = 0;
for (let i = 0; i < n; i += 1) {
  const units = 1 + (i % 97);
  total += units;
  lines.push(`${ref}-${i},持有人${i},${residentId(i)},${units}`);
}
writeFileSync(join(dir, 'register.csv'), `${lines.join('\n')}\n`);
writeFileSync(
  join(dir, 'asset.json'),
  JSON.stringify({
    assetRef: ref,
    attributes: {
      name: 'Bench register',
      category: 'EQUITY',
      description: 'A generated register.',
      currency: 'CNY',
      documents: [],
    },
    rights: {
      voting: { enabled: false, votesPerUnit: 0 },
      dividend: { enabled: false, policy: '' },
      otherTerms: [],
    },
    totalUnits: total,
  }),
);
