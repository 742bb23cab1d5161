// k6's http.expectedStatuses(): which statuses count as expected (not failed). Kept as a lookup
// table because it is consulted on every response.
const TABLE_SIZE = 600;

export class ExpectedStatuses {
  private readonly table = new Uint8Array(TABLE_SIZE);

  constructor(spec: ReadonlyArray<number | { min: number; max: number }>) {
    for (const item of spec) {
      if (typeof item === 'number' && Number.isInteger(item)) {
        this.mark(item, item);
      } else if (
        typeof item === 'object' &&
        item !== null &&
        Number.isInteger(item.min) &&
        Number.isInteger(item.max)
      ) {
        this.mark(item.min, item.max);
      } else {
        throw new TypeError(
          `http.expectedStatuses(): expected status numbers or {min, max} ranges, got ${JSON.stringify(item)}`,
        );
      }
    }
  }

  has(status: number): boolean {
    return status >= 0 && status < TABLE_SIZE && this.table[status] === 1;
  }

  private mark(min: number, max: number): void {
    for (let s = Math.max(0, min); s <= Math.min(TABLE_SIZE - 1, max); s++) this.table[s] = 1;
  }
}

/** k6's default response callback: 200–399 are expected. */
export const DEFAULT_EXPECTED = new ExpectedStatuses([{ min: 200, max: 399 }]);
