import type { Command } from 'commander';
import { withClient } from '../connection';
import { readJsonInput } from '../input/json-input';
import { parseUserRegistration } from '../input/registration';
import { step } from '../progress';
import { withExamples } from './shared/help';
import { userFacts } from './records';
import {
  groupOf,
  withQuiet,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './shared/write-options';
import { printResult, sentenceAndFacts } from '../output';

interface RegisterOptions extends WriteOptions {
  readonly from?: string;
}

/** `crowdledger users register`: beside the read commands of records.ts. */
export function registerUserWrites(program: Command): void {
  const users = groupOf(program, 'users', 'register users; read their public records and portfolios');
  const register = withQuiet(
    withWriteOptions(
      users
        .command('register')
        .description(
          "register a platform's user (R1); name and ID number come from a JSON file or stdin, reach only " +
            "the platform's private collection, and the ledger assigns the user ID",
        ),
    ),
    'user ID',
  )
    .option('--from <file>', 'JSON {"platformRef", "name", "idType", "idNumber"}; - or a pipe reads stdin')
    .action(async (options: RegisterOptions) => {
      const input = await readJsonInput(options.from, 'user', process.stdin);
      const user = parseUserRegistration(input.value, input.source);
      const registered = await withClient(writeConnection(options), (c) =>
        step(`registering ${user.platformRef} on ${c.mspId}`, () => c.users.register(user)),
      );
      printResult(options, {
        value: registered,
        id: registered.userId,
        human: () =>
          sentenceAndFacts(
            `Registered ${user.platformRef} as user ${registered.userId}; the ledger keeps only a salted commitment to the personal data.`,
            userFacts(registered),
          ),
      });
    });
  withExamples(
    register,
    'crowdledger users register --org platform1 --from zhang-wei.json',
    'ZHANG=$(crowdledger users register --org platform1 --from zhang-wei.json -q)',
    `echo '{"platformRef":"li-na","name":"李娜","idType":"RESIDENT_ID","idNumber":"440524188001010014"}' | crowdledger users register --org platform1`,
  );
}
