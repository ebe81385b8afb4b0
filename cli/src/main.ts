#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCliError } from './errors';
import { createProgram } from './program';

function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : '0.0.0';
}

async function main(argv: readonly string[]): Promise<void> {
  try {
    await createProgram(version()).parseAsync(argv);
  } catch (error) {
    // Known failures print their sentence; anything else is a bug worth a stack.
    if (isCliError(error)) {
      console.error(`error: ${error.message}`);
      process.exitCode = error.exitCode;
      return;
    }
    console.error(error);
    process.exitCode = 1;
  }
}

void main(process.argv);
