/** Exit codes the CLI documents; scripts that wrap it rely on them. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  someDown: 3,
  noNetwork: 4,
} as const;

/** A failure the user can act on: main prints the sentence and exits with the code. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(sentence: string, exitCode: number = ExitCode.failed, options?: ErrorOptions) {
    super(sentence, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function isCliError(error: unknown): error is CliError {
  return error instanceof CliError;
}
