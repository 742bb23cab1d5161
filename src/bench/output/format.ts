// Numbers as the tables and the report show them.
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const int = (n: number) => grouped.format(Math.round(n));

/** Milliseconds: two decimals under 10 ms, one under 100, none above. */
export function ms(n: number): string {
  const digits = n < 10 ? 2 : n < 100 ? 1 : 0;
  return `${n.toFixed(digits)} ms`;
}

export const rate = (n: number) => `${int(n)} req/s`;

export const ratio = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(2)}×`);

export const mb = (n: number) => `${n.toFixed(1)} MB`;
