import { StatementGuard, type Refusal } from './statement-guard.js';

/**
 * Reads the SQL text of a mysqldump / mariadb-dump as it streams by and notes what restore
 * and backup need to know: the dump header, the completion trailer, the rows of each table,
 * and the first statement that could reach past one database's tables (StatementGuard).
 *
 * It is not an SQL parser. The dump tools start every statement on a line of its own, so the
 * start of each line says what it is; an INSERT runs to the ";" outside quotes (MySQL writes
 * it on one line, MariaDB 10.11+ puts each row on a line of its own), and its rows are the
 * top-level "(...)" groups once quoted strings are skipped. It works on bytes, not decoded
 * text: every byte it looks for is ASCII, which never occurs inside a multi-byte UTF-8
 * character, and chunk boundaries can fall anywhere.
 */

export interface DumpSummary {
  /** The "-- MariaDB dump …" / "-- MySQL dump …" line, or null when the stream has none. */
  header: string | null;
  /** Whether the last line is the tool's "-- Dump completed" trailer (a dump cut short has none). */
  complete: boolean;
  /** The first statement restore must not load (USE, `db`.`t`, GRANT…), or null. */
  refusal: Refusal | null;
  /** Rows per table in dump order; a table created without rows counts 0. */
  rows: Map<string, number>;
}

const NL = 0x0a;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const OPEN = 0x28;
const CLOSE = 0x29;
const SEMICOLON = 0x3b;

/** Enough of a line to classify it; the rest of a long line is scanned or skipped, not kept. */
const PREFIX_MAX = 512;
/** MariaDB puts a "sandbox mode" comment before the header, so the header may be line 2. */
const HEADER_WITHIN_LINES = 3;

const HEADER = /^-- (?:MySQL|MariaDB) dump /;
const TRAILER = '-- Dump completed';
const INSERT_HEAD = /^(?:INSERT(?: IGNORE)?|REPLACE) INTO `((?:[^`]|``)+)` ?(\()?/;
const CREATE_TABLE = /^CREATE TABLE (?:IF NOT EXISTS )?`((?:[^`]|``)+)`/;

enum Mode {
  /** Collecting the start of a line. */
  Prefix,
  /** The rest of a line that does not matter. */
  Skip,
  /** The rest of an INSERT statement, up to its ";": counting row tuples. */
  Values,
}

export class DumpScanner {
  private mode = Mode.Prefix;
  private readonly prefix = Buffer.alloc(PREFIX_MAX);
  private prefixLength = 0;
  private lines = 0;
  private lastLine = '';
  private header: string | null = null;
  private readonly guard = new StatementGuard();
  private readonly rows = new Map<string, number>();

  // State inside an INSERT line.
  private table = '';
  private tableRows = 0;
  private depth = 0;
  private quote = 0;
  private escaped = false;
  private inBacktick = false;
  /** 1 while the column list of INSERT … (`a`, `b`) VALUES is ahead: it is not a row. */
  private skipGroups = 0;

  write(chunk: Buffer): void {
    this.guard.write(chunk);
    let i = 0;
    while (i < chunk.length) {
      if (this.mode === Mode.Prefix) {
        const byte = chunk[i++]!;
        if (byte === NL) {
          this.classify(true);
        } else {
          this.prefix[this.prefixLength++] = byte;
          if (this.prefixLength === PREFIX_MAX) this.classify(false);
        }
      } else if (this.mode === Mode.Skip) {
        const newline = chunk.indexOf(NL, i);
        if (newline === -1) return;
        i = newline + 1;
        this.endLine();
      } else {
        i = this.scanValues(chunk, i);
      }
    }
  }

  /** Call once the stream has ended: the last line of a dump has no newline after it. */
  finish(): DumpSummary {
    if (this.mode === Mode.Prefix && this.prefixLength > 0) this.classify(false);
    if (this.mode === Mode.Values) this.flushRows();
    this.mode = Mode.Skip;
    return {
      header: this.header,
      complete: this.lastLine.startsWith(TRAILER),
      refusal: this.guard.finish(),
      rows: new Map(this.rows),
    };
  }

  /** Decides what the line is from its first bytes; `ended` when its newline was reached. */
  private classify(ended: boolean): void {
    const text = this.prefix.toString('utf8', 0, this.prefixLength);
    this.lines += 1;
    if (text.trim() !== '') this.lastLine = text;
    if (this.header === null && this.lines <= HEADER_WITHIN_LINES && HEADER.test(text)) {
      this.header = text;
    }
    const created = CREATE_TABLE.exec(text);
    if (created && !this.rows.has(unquote(created[1]!))) this.rows.set(unquote(created[1]!), 0);

    const insert = INSERT_HEAD.exec(text);
    if (insert) {
      this.startValues(unquote(insert[1]!), insert[2] !== undefined);
      // Replay what follows the table name (from the column list's "(" when there is one).
      const from = insert[0].length - (insert[2] === undefined ? 0 : 1);
      this.scanValues(this.prefix.subarray(from, this.prefixLength), 0);
      this.prefixLength = 0;
      // The statement ended on this line: the next line starts afresh.
      if (ended && this.mode === Mode.Skip) this.endLine();
    } else if (ended) {
      this.endLine();
    } else {
      this.mode = Mode.Skip;
    }
  }

  private startValues(table: string, columnList: boolean): void {
    this.mode = Mode.Values;
    this.table = table;
    this.tableRows = 0;
    this.depth = 0;
    this.quote = 0;
    this.escaped = false;
    this.inBacktick = false;
    this.skipGroups = columnList ? 1 : 0;
  }

  /** Counts top-level "(" outside strings and identifiers up to the ";"; returns where it stopped. */
  private scanValues(chunk: Buffer, start: number): number {
    for (let i = start; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.quote !== 0) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === this.quote) this.quote = 0;
        continue;
      }
      if (this.inBacktick) {
        if (byte === BACKTICK) this.inBacktick = false;
        continue;
      }
      switch (byte) {
        case SEMICOLON:
          if (this.depth === 0) {
            this.flushRows();
            this.mode = Mode.Skip;
            return i + 1;
          }
          break;
        case SINGLE_QUOTE:
        case DOUBLE_QUOTE:
          this.quote = byte;
          break;
        case BACKTICK:
          this.inBacktick = true;
          break;
        case OPEN:
          if (this.depth++ === 0) {
            if (this.skipGroups > 0) this.skipGroups -= 1;
            else this.tableRows += 1;
          }
          break;
        case CLOSE:
          this.depth -= 1;
          break;
      }
    }
    return chunk.length;
  }

  private flushRows(): void {
    this.rows.set(this.table, (this.rows.get(this.table) ?? 0) + this.tableRows);
    this.tableRows = 0;
  }

  private endLine(): void {
    this.mode = Mode.Prefix;
    this.prefixLength = 0;
  }
}

function unquote(identifier: string): string {
  return identifier.replaceAll('``', '`');
}
