import inquirer from 'inquirer';

/** Thrown when a destructive step was not confirmed; the command exits 1 with its message. */
export class NotConfirmedError extends Error {}

export interface ConfirmOptions {
  /** The question, asked on stderr so stdout stays the command's output (and JSON). */
  question: string;
  /** `--yes` was given: proceed without asking. */
  yes: boolean;
  /** What a script without --yes is told, e.g. "refusing to restore without --yes". */
  refusal: string;
}

/**
 * Asks before a destructive step. Without a terminal nobody can answer, so the step is
 * refused at once (never a hang on a prompt) unless --yes was given.
 */
export async function confirmOrRefuse(options: ConfirmOptions): Promise<boolean> {
  if (options.yes) return true;
  if (!process.stdin.isTTY) {
    throw new NotConfirmedError(`${options.refusal}: stdin is not a terminal`);
  }
  const prompt = inquirer.createPromptModule({ output: process.stderr });
  const { proceed } = await prompt<{ proceed: boolean }>([
    { type: 'confirm', name: 'proceed', default: false, message: options.question },
  ]);
  return proceed;
}

/** Fails early (before slow work) when a confirmation would be needed but cannot be asked. */
export function refuseWithoutTerminal(options: Omit<ConfirmOptions, 'question'>): void {
  if (!options.yes && !process.stdin.isTTY) {
    throw new NotConfirmedError(`${options.refusal}: stdin is not a terminal`);
  }
}
