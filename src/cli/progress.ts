/** How often a terminal's progress line is redrawn, at most. */
const REDRAW_MS = 100;
/** Without a terminal, a plain line this often: a CI log shows the work moving, not flooding. */
const LINE_EVERY_MS = 5000;

/**
 * Progress of long work on stderr, so --json output on stdout stays clean: on a terminal one
 * line rewritten in place (with a carriage return and spaces: no escape sequence, so NO_COLOR
 * and dumb terminals get plain text); otherwise a plain line every few seconds, and none at
 * all for work shorter than that.
 */
export interface ProgressLine {
  /** Shows `text` (or what it returns: built only when a line is due). */
  update(text: string | (() => string)): void;
  /** Erases the line, e.g. before a prompt or the final output. */
  clear(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const tty = stream.isTTY === true;
  let drawnAt = tty ? 0 : Date.now();
  let shown = 0;
  return {
    update(text) {
      const now = Date.now();
      if (now - drawnAt < (tty ? REDRAW_MS : LINE_EVERY_MS)) return;
      drawnAt = now;
      const line = typeof text === 'string' ? text : text();
      if (!tty) {
        stream.write(`${line}\n`);
        return;
      }
      stream.write(`\r${line.padEnd(shown)}`);
      shown = line.length;
    },
    clear() {
      if (shown > 0) stream.write(`\r${' '.repeat(shown)}\r`);
      shown = 0;
      drawnAt = tty ? 0 : drawnAt;
    },
  };
}

/** Runs `body` with a progress line and always erases it afterwards, whether it returns or throws. */
export async function withProgress<R>(
  body: (line: ProgressLine) => Promise<R>,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<R> {
  const line = progressLine(stream);
  try {
    return await body(line);
  } finally {
    line.clear();
  }
}
