import { ExitCode } from './base-command.js';

/** What exit code 1 means when a command says nothing more precise. */
const FAILED = 'it failed; the reason is one line on stderr';

/**
 * A command's description followed by its exit codes, so `--help` and docs/COMMANDS.md
 * (written from the help by `oclif readme`) list them. Every command shares 0, 1 and 2
 * (BaseCommand turns an error into 1 and a bad config into 2); `failure` says what 1 means
 * here, `more` adds the command's own codes.
 */
export function withExitCodes(
  description: string,
  failure: string = FAILED,
  more: Record<number, string> = {},
): string {
  const codes: [number, string][] = [
    [0, 'success'],
    [ExitCode.Failure, failure],
    [ExitCode.BadConfig, 'the config is invalid (the key and the problem on stderr)'],
    ...Object.entries(more).map(([code, text]): [number, string] => [Number(code), text]),
  ];
  return `${description}\n\nExit codes:\n${codes.map(([code, text]) => `  ${String(code).padEnd(4)}${text}`).join('\n')}`;
}
