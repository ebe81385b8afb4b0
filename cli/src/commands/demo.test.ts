import { tourText } from './demo';

const assetId = `A${'1'.repeat(32)}`;
const buyerId = `U${'2'.repeat(32)}`;

describe('the commands the demo ends with', () => {
  const text = tourText({ assetId, buyerId, registeredBy: 37n });
  const commands = text
    .split('\n')
    .filter((line) => line.startsWith('   crowdledger '))
    .map((line) => line.trim());

  it("name this run's asset, buyer and registration block, so they work as pasted", () => {
    expect(commands).toContain(`crowdledger assets holders ${assetId} --at-block 37`);
    expect(commands).toContain(`crowdledger audit history holding ${assetId}/${buyerId}`);
    expect(commands).toContain(`crowdledger users portfolio ${buyerId}`);
  });

  it('are each a line of their own, explained by a shell comment, so a pasted block runs', () => {
    for (const line of text.split('\n').filter((l) => l.startsWith('   '))) {
      expect(line).toMatch(/^ {3}(# |alias crowdledger=|crowdledger )/);
    }
    expect(commands.length).toBeGreaterThan(6);
  });
});
