import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DumpScanner, type DumpSummary } from '../../src/backup/dump-scanner.js';

/** Feeds `sql` in chunks of `size` bytes, so every state crosses a chunk boundary somewhere. */
function scan(sql: string, size = Infinity): DumpSummary {
  const scanner = new DumpScanner();
  const bytes = Buffer.from(sql);
  const step = Math.min(size, bytes.length) || 1;
  for (let i = 0; i < bytes.length; i += step) scanner.write(bytes.subarray(i, i + step));
  return scanner.finish();
}

const HEADER = [
  '/*M!999999\\- enable the sandbox mode */ ',
  '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)',
  '--',
  '-- Host: 127.0.0.1    Database: gomall',
  '',
].join('\n');
const TRAILER = '\n-- Dump completed on 2026-11-25 12:00:00';

const TRICKY = [
  'CREATE TABLE `users` (',
  '  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,',
  '  `name` varchar(64) NOT NULL,',
  '  PRIMARY KEY (`id`)',
  ') ENGINE=InnoDB;',
  // Parens, quotes, escaped quotes, backslashes, an escaped newline, a comma-paren inside strings.
  "INSERT INTO `users` VALUES (1,'a (b) c'),(2,'it\\'s'),(3,'back\\\\'),(4,'x\\ny),(z'),(5,'é — 漢字 ()'),(6,NULL);",
  'INSERT INTO `users` VALUES (7,\'"("\'),(8,0x28293B);',
  'CREATE TABLE `empty` (`id` int) ENGINE=InnoDB;',
  'CREATE TABLE `weird``name` (`id` int);',
  "INSERT INTO `weird``name` (`id`, `a)b`) VALUES (1,'('),(2,')');",
].join('\n');

describe('DumpScanner', () => {
  test('counts the rows of each table, whatever the chunk size', () => {
    for (const size of [1, 2, 3, 7, 64, Infinity]) {
      const summary = scan(HEADER + TRICKY + TRAILER, size);
      assert.deepEqual(
        [...summary.rows],
        [
          ['users', 8],
          ['empty', 0],
          ['weird`name', 2],
        ],
        `chunk size ${size}`,
      );
      assert.equal(summary.complete, true);
      assert.match(summary.header ?? '', /^-- MariaDB dump/);
      assert.equal(summary.refusal, null);
    }
  });

  test('counts rows MariaDB writes one per line, with ";" inside strings', () => {
    const sql = [
      'LOCK TABLES `users` WRITE;',
      'INSERT INTO `users` VALUES',
      "(1,'a;b',NULL),",
      "(2,'c\\\\'),(3,'(;)')",
      ';',
      'INSERT INTO `orders` VALUES',
      "(1,'x');",
      'UNLOCK TABLES;',
    ].join('\n');
    for (const size of [1, 5, Infinity]) {
      const summary = scan(HEADER + sql + TRAILER, size);
      assert.deepEqual(
        [...summary.rows],
        [
          ['users', 3],
          ['orders', 1],
        ],
        `chunk size ${size}`,
      );
      assert.equal(summary.complete, true);
    }
  });

  test('a dump cut short is not complete, and one without the header has none', () => {
    assert.equal(scan(HEADER + TRICKY).complete, false);
    assert.equal(
      scan(HEADER + TRICKY + TRAILER + "\nINSERT INTO `users` VALUES (9,'x');\n").complete,
      false,
    );
    assert.equal(scan(TRICKY + TRAILER).header, null);
    assert.equal(scan('hello, world\n').header, null);
  });

  test('the header is looked for only at the top', () => {
    assert.equal(scan('a\nb\nc\nd\n-- MySQL dump 10.13\n').header, null);
    assert.match(
      scan('-- MySQL dump 10.13  Distrib 8.0.36\n' + TRAILER).header ?? '',
      /MySQL dump/,
    );
  });

  test('refuses statements that reach past one database, wherever they stand', () => {
    const refused: Array<[string, RegExp]> = [
      ['USE `gomall`;', /names a database \(USE\)/],
      ["INSERT INTO `t` VALUES (1,'a'); USE gomall;", /names a database \(USE\)/],
      ['CREATE DATABASE /*!32312 IF NOT EXISTS*/ `gomall`;', /CREATE DATABASE/],
      ['/*!40000 DROP DATABASE IF EXISTS `gomall`*/;', /DROP DATABASE/],
      ['create schema other;', /CREATE SCHEMA/],
      ['INSERT INTO `gomall`.`users` VALUES (1);', /qualified name/],
      ['INSERT INTO gomall.users VALUES (1);', /qualified name/],
      ['DROP TABLE IF EXISTS `t`; DROP TABLE `mysql` . /* x */ `user`;', /qualified name/],
      ["LOCK TABLES `t` WRITE; GRANT ALL ON *.* TO 'x'@'%';", /GRANT/],
      [
        "/*!40101 SET NAMES utf8mb4 */; CREATE /* c */ USER 'x'@'%' IDENTIFIED BY 'p';",
        /CREATE USER/,
      ],
      ["ALTER USER root IDENTIFIED BY 'x';", /ALTER USER/],
      ['/*!50000 SET @x = 1 */ REVOKE ALL ON t FROM y;', /REVOKE/],
      ['SET GLOBAL general_log = 1;', /SET GLOBAL/],
      ['SET @@global.read_only = 1;', /@@GLOBAL/],
      ["SELECT * FROM `users` INTO OUTFILE '/tmp/x';", /does not load \(SELECT\)/],
      ["INSERT INTO `t` SELECT LOAD_FILE('/etc/passwd');", /LOAD_FILE/],
      ["LOAD DATA INFILE '/etc/passwd' INTO TABLE `t`;", /does not load \(LOAD\)/],
      ['\\! rm -rf /', /client command/],
      ['DELIMITER ;;', /DELIMITER/],
    ];
    for (const [sql, what] of refused) {
      for (const size of [1, 3, Infinity]) {
        const refusal = scan(`${HEADER}${sql}\n${TRAILER}`, size).refusal;
        assert.ok(refusal, `${sql} (chunk size ${size}) is refused`);
        assert.match(refusal.what, what, sql);
      }
    }
  });

  test('passes the same words as data, in comments and as quoted names', () => {
    const sql = [
      '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
      'SET @@SESSION.SQL_LOG_BIN= 0;',
      '-- USE gomall; GRANT ALL ON *.* TO x',
      '# DROP DATABASE gomall',
      '/* CREATE USER x; gomall.users */',
      'DROP TABLE IF EXISTS `use`;',
      'CREATE TABLE `use` (`grant` int, `user` varchar(9), `price` decimal(10,2) DEFAULT 0.00);',
      "INSERT INTO `use` (`grant`, `user`, `price`) VALUES (1,'USE gomall; GRANT ALL ON *.* TO x',19.90),",
      '(2,\'CREATE USER y; DROP DATABASE z; gomall.users \\\' USE x\',-0.5),(3,"SET GLOBAL a=1 \\" LOAD_FILE",1e3);',
      '/*!40000 ALTER TABLE `use` ENABLE KEYS */;',
      '/*!50001 CREATE ALGORITHM=UNDEFINED */',
      '/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */',
      '/*!50001 VIEW `v` AS select `use`.`grant` AS `grant` from `use` */;',
    ].join('\n');
    for (const size of [1, 2, 5, Infinity]) {
      const summary = scan(HEADER + sql + TRAILER, size);
      assert.equal(summary.refusal, null, `chunk size ${size}: ${JSON.stringify(summary.refusal)}`);
      assert.equal(summary.rows.get('use'), 3);
    }
  });

  test('a long line before the INSERT does not confuse the next line', () => {
    const long = `/* ${'x'.repeat(5000)} */;`;
    const summary = scan(`${HEADER}${long}\nINSERT INTO \`t\` VALUES (1),(2);${TRAILER}`, 100);
    assert.equal(summary.rows.get('t'), 2);
  });
});
