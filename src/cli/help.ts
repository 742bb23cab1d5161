import { Help } from '@oclif/core';

/**
 * Root help lists every command with its one-line summary, not just the topics, so
 * `gomall --help` is the whole map of the tool.
 */
export default class GomallHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    this.log(this.formatRoot());
    this.log('');
    this.log(this.formatCommands(this.sortedCommands.filter((command) => !command.hidden)));
    this.log('');
  }
}
