// The tree of groups and checks that k6 reports as `root_group`. Paths and ids follow k6:
// a group's path is its parent's path + "::" + name (the root's is ""), a check's path is its
// group's path + "::" + name, and ids are the MD5 of the path.
import { createHash } from 'node:crypto';
import type { K6SummaryGroup } from '../types.js';

export class CheckEntry {
  passes = 0;
  fails = 0;

  constructor(
    readonly name: string,
    readonly path: string,
  ) {}
}

export class GroupNode {
  private readonly groups = new Map<string, GroupNode>();
  private readonly checks = new Map<string, CheckEntry>();

  constructor(
    readonly name: string,
    readonly path: string,
  ) {}

  static root(): GroupNode {
    return new GroupNode('', '');
  }

  child(name: string): GroupNode {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = new GroupNode(name, `${this.path}::${name}`);
      this.groups.set(name, group);
    }
    return group;
  }

  check(name: string): CheckEntry {
    let entry = this.checks.get(name);
    if (entry === undefined) {
      entry = new CheckEntry(name, `${this.path}::${name}`);
      this.checks.set(name, entry);
    }
    return entry;
  }

  toSummary(): K6SummaryGroup {
    return {
      name: this.name,
      path: this.path,
      id: md5(this.path),
      groups: [...this.groups.values()].map((g) => g.toSummary()),
      checks: [...this.checks.values()].map((c) => ({
        name: c.name,
        path: c.path,
        id: md5(c.path),
        passes: c.passes,
        fails: c.fails,
      })),
    };
  }
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
