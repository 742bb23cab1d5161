// Progress on stderr, so stdout stays the result (text tables, or the JSON object). On a
// terminal: phase lines and a live line rewritten about once a second. Elsewhere: phase lines
// only, and nothing at all under --json.
export class Progress {
  private readonly live: boolean;
  private readonly phases: boolean;
  private ticking = false;

  constructor(
    json: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.live = stream.isTTY === true;
    this.phases = this.live || !json;
  }

  phase(line: string): void {
    this.clear();
    if (this.phases) this.stream.write(`${line}\n`);
  }

  /** The live line (terminal only). */
  tick(line: string): void {
    if (!this.live) return;
    this.stream.write(`\r\x1b[K${line}`);
    this.ticking = true;
  }

  clear(): void {
    if (!this.ticking) return;
    this.stream.write('\r\x1b[K');
    this.ticking = false;
  }
}
