/**
 * Refuses a dump that could reach past the scratch database it is loaded into. A restore
 * loads the file with the mysql client into a scratch database, so the only statements it
 * may hold are the ones mysqldump writes for one database's tables: CREATE / DROP / ALTER
 * TABLE, INSERT, LOCK, SET of session variables. Anything naming another database (USE,
 * `db`.`table`), touching accounts (GRANT, CREATE USER), server state (SET GLOBAL) or files
 * (INTO OUTFILE, LOAD_FILE) is refused wherever it stands in a statement, not only at the
 * start of a line; the same words inside quoted strings are data and pass.
 *
 * It tokenises the stream as MySQL does, byte by byte (so chunk boundaries can fall
 * anywhere): strings '…' and "…" with backslash escapes, `identifiers`, comments (-- , #,
 * block comments) and version comments, whose content the server runs, so it is checked as
 * code. Only the words of each statement, dotted names and @@variables are looked at.
 */

/** Why a dump is refused: what it does, and the start of the statement that does it. */
export interface Refusal {
  what: string;
  statement: string;
}

/** The statements mysqldump / mariadb-dump write for one database without --databases. */
const FIRST_WORDS = new Set([
  'CREATE',
  'DROP',
  'ALTER',
  'INSERT',
  'REPLACE',
  'LOCK',
  'UNLOCK',
  'SET',
]);
/** Refused wherever they stand outside strings. */
const ANYWHERE: Record<string, string> = {
  USE: 'names a database (USE)',
  GRANT: 'changes privileges (GRANT)',
  REVOKE: 'changes privileges (REVOKE)',
  OUTFILE: 'writes a server file (INTO OUTFILE)',
  DUMPFILE: 'writes a server file (INTO DUMPFILE)',
  LOAD_FILE: 'reads a server file (LOAD_FILE)',
  SHUTDOWN: 'stops the server (SHUTDOWN)',
};
/** Refused in CREATE / DROP / ALTER: objects outside one database's tables. */
const DDL_OBJECTS = new Set(['DATABASE', 'SCHEMA', 'USER', 'ROLE', 'SERVER', 'TABLESPACE']);
/** Refused in SET: server-wide variables and accounts. */
const SET_WORDS = new Set(['GLOBAL', 'PERSIST', 'PERSIST_ONLY', 'PASSWORD', 'ROLE']);

/** A version comment at least this high never runs on any server: MariaDB's sandbox line. */
const NEVER_RUN_VERSION = 900_000;
/** Bytes of a statement kept to quote it in the refusal. */
const QUOTED_MAX = 80;
const WORD_MAX = 64;

const enum State {
  Code,
  Word,
  Variable,
  SingleQuote,
  DoubleQuote,
  Backtick,
  LineComment,
  BlockComment,
  /** Just after "/*": "!" or "M!" makes it a version comment. */
  CommentOpen,
  CommentOpenM,
  /** After "/*!" or "/*M!": the version digits. */
  VersionDigits,
}

const SLASH = 0x2f;
const STAR = 0x2a;
const DASH = 0x2d;
const BANG = 0x21;
const HASH = 0x23;
const AT = 0x40;
const DOT = 0x2e;
const SEMICOLON = 0x3b;
const BACKSLASH = 0x5c;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKTICK = 0x60;
const NL = 0x0a;
const LETTER_M = 0x4d;

const isSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isWordByte = (b: number) =>
  (b >= 0x41 && b <= 0x5a) ||
  (b >= 0x61 && b <= 0x7a) ||
  isDigit(b) ||
  b === 0x5f ||
  b === 0x24 ||
  b >= 0x80;

export class StatementGuard {
  private state = State.Code;
  private refused: Refusal | null = null;
  private quotedDone = false;
  /** Inside a version comment's code: "*" then "/" ends it. */
  private inVersion = false;
  private version = 0;
  /** A byte held back because it may start or end a comment ("/", "-", "*"). */
  private pending = 0;
  private escaped = false;

  private word = '';
  private wordIsNumber = false;
  private variable = '';

  // The statement so far.
  private quoted: number[] = [];
  private words = 0;
  private firstWord = '';
  private inView = false;
  private named = false;
  /** The last token was a name, possibly followed by "." (whitespace and comments between). */
  private afterName = false;
  private afterNameDot = false;

  get refusal(): Refusal | null {
    if (this.refused === null) return null;
    const statement = Buffer.from(this.quoted).toString('utf8').replace(/\s+/g, ' ').trim();
    return { ...this.refused, statement };
  }

  write(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.refused === null) {
        if (this.quoted.length < QUOTED_MAX) this.quoted.push(byte);
        this.step(byte);
      } else if (!this.quotedDone) {
        // The rest of the refused statement's line, to quote it.
        this.quotedDone = byte === NL || byte === SEMICOLON || this.quoted.length >= QUOTED_MAX;
        if (!this.quotedDone) this.quoted.push(byte);
      } else return;
    }
  }

  /** Call at the end of the stream: a last word with nothing after it is still checked. */
  finish(): Refusal | null {
    if (this.refused === null && this.state === State.Word) this.endWord();
    return this.refusal;
  }

  private step(byte: number): void {
    switch (this.state) {
      case State.Word:
        if (isWordByte(byte)) {
          if (this.word.length < WORD_MAX) this.word += String.fromCharCode(byte);
          return;
        }
        this.endWord();
        return this.code(byte);
      case State.Variable:
        // @name, @@session.name: dots belong to the variable, not to a qualified name.
        if (isWordByte(byte) || byte === DOT || byte === AT) {
          if (this.variable.length < WORD_MAX) this.variable += String.fromCharCode(byte);
          return;
        }
        this.endVariable();
        return this.code(byte);
      case State.SingleQuote:
      case State.DoubleQuote:
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === (this.state === State.SingleQuote ? SINGLE_QUOTE : DOUBLE_QUOTE))
          this.state = State.Code;
        return;
      case State.Backtick:
        if (byte === BACKTICK) {
          this.state = State.Code;
          this.afterName = true;
        }
        return;
      case State.LineComment:
        if (byte === NL) this.state = State.Code;
        return;
      case State.BlockComment:
        if (this.pending === STAR && byte === SLASH) {
          this.pending = 0;
          this.state = State.Code;
        } else this.pending = byte === STAR ? STAR : 0;
        return;
      case State.CommentOpen:
      case State.CommentOpenM:
        if (byte === BANG) {
          this.state = State.VersionDigits;
          this.version = 0;
        } else if (byte === LETTER_M && this.state === State.CommentOpen) {
          this.state = State.CommentOpenM;
        } else {
          this.state = State.BlockComment;
          this.pending = byte === STAR ? STAR : 0;
        }
        return;
      case State.VersionDigits:
        if (isDigit(byte)) {
          this.version = this.version * 10 + (byte - 0x30);
          return;
        }
        if (this.version >= NEVER_RUN_VERSION) {
          this.state = State.BlockComment;
          return this.step(byte);
        }
        this.state = State.Code;
        this.inVersion = true;
        return this.code(byte);
      case State.Code:
        return this.code(byte);
    }
  }

  private code(byte: number): void {
    const held = this.pending;
    this.pending = 0;
    if (held === SLASH) {
      if (byte === STAR) return this.openComment();
      this.token();
    } else if (held === DASH) {
      if (byte === DASH) {
        this.pending = -DASH;
        return;
      }
      this.token();
    } else if (held === -DASH) {
      // "-- " starts a comment only when a space or control character follows.
      if (isSpace(byte) || byte < 0x20) {
        this.state = State.LineComment;
        if (byte === NL) this.state = State.Code;
        return;
      }
      this.token();
    } else if (held === STAR) {
      if (byte === SLASH && this.inVersion) {
        this.inVersion = false;
        return;
      }
      this.token();
    }

    if (isSpace(byte)) return;
    switch (byte) {
      case SLASH:
      case DASH:
        this.pending = byte;
        return;
      case STAR:
        if (this.inVersion) {
          this.pending = STAR;
          return;
        }
        return this.token();
      case HASH:
        this.state = State.LineComment;
        return;
      case SEMICOLON:
        return this.endStatement();
      case SINGLE_QUOTE:
        this.token();
        this.state = State.SingleQuote;
        return;
      case DOUBLE_QUOTE:
        this.token();
        this.state = State.DoubleQuote;
        return;
      case BACKTICK:
        this.startName();
        this.state = State.Backtick;
        return;
      case AT:
        this.token();
        this.state = State.Variable;
        this.variable = '@';
        return;
      case DOT:
        if (this.afterName) this.afterNameDot = true;
        else this.token();
        return;
      case BACKSLASH:
        return this.refuse('runs a client command (\\)');
    }
    if (isWordByte(byte)) {
      // A number is not a name, but "db.1t" is a qualified one: a digit may start a name.
      this.startName();
      this.wordIsNumber = isDigit(byte);
      this.word = String.fromCharCode(byte);
      this.state = State.Word;
      return;
    }
    this.token();
  }

  private openComment(): void {
    this.state = State.CommentOpen;
  }

  /** Any token that is not a name: a dot after it is not a qualified name. */
  private token(): void {
    this.afterName = false;
    this.afterNameDot = false;
  }

  /** A name starts: after "name ." it is a qualified one. */
  private startName(): void {
    if (this.words === 0 && !this.named) {
      // Quote the statement from its first name on, not from the comments before it.
      this.quoted = this.quoted.slice(-1);
      this.named = true;
    }
    if (this.afterNameDot && !this.inView) this.refuse('names a database (a qualified name)');
    this.afterName = false;
    this.afterNameDot = false;
  }

  private endWord(): void {
    this.state = State.Code;
    if (this.wordIsNumber) return;
    this.afterName = true;
    const word = this.word.toUpperCase();
    this.words += 1;
    const anywhere = ANYWHERE[word];
    if (anywhere) return this.refuse(anywhere);
    if (this.words === 1) {
      this.firstWord = word;
      if (word === 'DELIMITER')
        return this.refuse('defines triggers or routines (DELIMITER); restore loads tables only');
      if (!FIRST_WORDS.has(word))
        return this.refuse(`holds a statement restore does not load (${word})`);
    }
    if (word === 'VIEW') this.inView = true;
    const ddl =
      this.firstWord === 'CREATE' || this.firstWord === 'DROP' || this.firstWord === 'ALTER';
    if (ddl && DDL_OBJECTS.has(word))
      return this.refuse(`reaches past the database's tables (${this.firstWord} ${word})`);
    if (this.firstWord === 'ALTER' && this.words === 2 && word !== 'TABLE')
      return this.refuse(`holds a statement restore does not load (ALTER ${word})`);
    if (this.firstWord === 'SET' && SET_WORDS.has(word))
      return this.refuse(`changes server or account settings (SET ${word})`);
  }

  private endVariable(): void {
    this.state = State.Code;
    this.token();
    const name = this.variable.toUpperCase();
    if (name.startsWith('@@GLOBAL') || name.startsWith('@@PERSIST'))
      this.refuse(`changes server settings (${name})`);
  }

  private endStatement(): void {
    this.token();
    this.quoted = [];
    this.named = false;
    this.words = 0;
    this.firstWord = '';
    this.inView = false;
  }

  private refuse(what: string): void {
    this.refused ??= { what, statement: '' };
  }
}
