import { Command, Flags, type Interfaces } from '@oclif/core';
import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger, type Logger } from '../infra/logger.js';

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** Exit codes every command shares. */
export const ExitCode = {
  Failure: 1,
  BadConfig: 2,
} as const;

/**
 * Shared flags (--env, --config) and error handling: a failure is one line on stderr and a
 * non-zero exit, never a stack trace (set DEBUG=gomall to see one).
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    env: Flags.string({
      description: 'Config overlay to apply: conf/config-<env>.yaml',
      default: 'dev',
      env: 'GOMALL_ENV',
      helpGroup: 'GLOBAL',
    }),
    config: Flags.string({
      description: 'Extra YAML config file applied over the env overlay',
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  private cachedConfig: Config | undefined;

  override async init(): Promise<void> {
    await super.init();
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as CommandFlags<T>;
    this.args = args as CommandArgs<T>;
  }

  /** The effective config (defaults → env overlay → --config → GOMALL_* variables). */
  protected get settings(): Config {
    this.cachedConfig ??= this.readSettings();
    return this.cachedConfig;
  }

  /** Reads the config afresh from the same layers (a service's reload on SIGHUP). */
  protected readSettings(): Config {
    return loadConfig({
      env: this.flags.env,
      ...(this.flags.config ? { file: this.flags.config } : {}),
    });
  }

  /** A logger for commands that run as services (serve, consume); others print text. */
  protected serviceLogger(name: string, settings: Config = this.settings): Logger {
    return createLogger({ level: settings.log.level, name });
  }

  protected override async catch(
    error: Error & { exitCode?: number; oclif?: unknown },
  ): Promise<unknown> {
    // Straight to stderr: oclif silences logToStderr under --json, and a failure must still say why.
    if (error instanceof ConfigError) {
      process.stderr.write(`gomall: config: ${error.message}\n`);
      this.exit(ExitCode.BadConfig);
    }
    if (error.oclif || process.env['DEBUG']) return super.catch(error);
    process.stderr.write(`gomall: ${oneLine(error)}\n`);
    this.exit(error.exitCode ?? ExitCode.Failure);
  }
}

/** An error as one readable line: connection failures name the service's address. */
export function oneLine(error: Error & { code?: string; address?: string; port?: number }): string {
  if (error.code === 'ECONNREFUSED' && error.address) {
    return `cannot connect to ${error.address}:${error.port ?? '?'} (connection refused)`;
  }
  const aggregate = error as unknown as { errors?: Error[] };
  if (error.message === '' && aggregate.errors?.[0]) return oneLine(aggregate.errors[0]);
  return error.message.split('\n')[0] ?? String(error);
}
