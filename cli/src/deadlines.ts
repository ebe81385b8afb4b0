// The gateway call deadlines the CLI connects with: the SDK's defaults,
// or what the environment sets. They belong to the host (a busy machine,
// a slow link), not to one command, so they are read from the environment
// like the profiles folder, and every command that connects takes them.
import { type CallDeadlines, ClientErrorCode, DEADLINE_RANGE_MS } from '@crowdledger/client';
import { CliError, ExitCode } from './errors';

/** The variable that sets each kind of call's deadline, in milliseconds. */
export const DEADLINE_VARIABLES: Readonly<Record<keyof CallDeadlines, string>> = {
  evaluate: 'CROWDLEDGER_EVALUATE_DEADLINE_MS',
  endorse: 'CROWDLEDGER_ENDORSE_DEADLINE_MS',
  submit: 'CROWDLEDGER_SUBMIT_DEADLINE_MS',
  commitStatus: 'CROWDLEDGER_COMMIT_DEADLINE_MS',
};

function parseDeadline(variable: string, text: string): number {
  const ms = /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : Number.NaN;
  if (!(ms >= DEADLINE_RANGE_MS.min && ms <= DEADLINE_RANGE_MS.max)) {
    throw new CliError(
      `${ClientErrorCode.invalidOptions}: ${variable} must be a whole number of milliseconds from ${String(DEADLINE_RANGE_MS.min)} to ${String(DEADLINE_RANGE_MS.max)}, not ${JSON.stringify(text)}`,
      ExitCode.failed,
    );
  }
  return ms;
}

/** The deadlines the environment sets (an empty variable counts as unset); the SDK fills in the rest. */
export function deadlinesFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<CallDeadlines> {
  const deadlines: Partial<Record<keyof CallDeadlines, number>> = {};
  for (const [kind, variable] of Object.entries(DEADLINE_VARIABLES) as [keyof CallDeadlines, string][]) {
    const text = env[variable]?.trim() ?? '';
    if (text !== '') {
      deadlines[kind] = parseDeadline(variable, text);
    }
  }
  return deadlines;
}
