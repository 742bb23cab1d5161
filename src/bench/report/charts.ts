// Inline SVG charts for the report: drawn here as markup, so the file needs no script, no
// library and no network. Every label goes through esc().
import { esc } from './escape.js';

export interface Series {
  name: string;
  color: string;
  points: Array<[x: number, y: number]>;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** The right end of the x axis [default: the largest x]. */
  xMax?: number;
  /** Shades x ≥ this (e.g. the drain after the load), with a label. */
  shade?: { from: number; label: string };
}

const W = 760;
const H = 260;
const PAD = { left: 64, right: 16, top: 14, bottom: 40 };
/** Points marked with a hover title; beyond this the line alone says enough. */
const MAX_MARKED_POINTS = 240;

/** A round step giving about `count` ticks up to `max`. */
export function niceStep(max: number, count: number): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
}

const label = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(n < 10 ? 2 : 1);

export function lineChart(o: LineChartOptions): string {
  const all = o.series.flatMap((s) => s.points);
  if (all.length === 0) return emptyChart(o.title, 'no data for this chart');
  const xMax = Math.max(1, o.xMax ?? 0, ...all.map(([x]) => x));
  const yStep = niceStep(Math.max(...all.map(([, y]) => y)), 5);
  const yMax = Math.max(yStep, Math.ceil(Math.max(...all.map(([, y]) => y)) / yStep) * yStep);
  const xStep = niceStep(xMax, 10);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + (x / xMax) * plotW;
  const sy = (y: number) => PAD.top + plotH - (y / yMax) * plotH;
  const parts: string[] = [];

  if (o.shade && o.shade.from < xMax) {
    const x0 = sx(o.shade.from);
    parts.push(
      `<rect x="${x0.toFixed(1)}" y="${PAD.top}" width="${(PAD.left + plotW - x0).toFixed(1)}" height="${plotH}" fill="#f1f1f1"/>`,
    );
    parts.push(
      `<text x="${(x0 + 4).toFixed(1)}" y="${PAD.top + 12}" class="note">${esc(o.shade.label)}</text>`,
    );
  }
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    parts.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" class="grid"/>`,
    );
    parts.push(
      `<text x="${PAD.left - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end">${esc(label(y))}</text>`,
    );
  }
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    parts.push(
      `<text x="${sx(x).toFixed(1)}" y="${PAD.top + plotH + 16}" text-anchor="middle">${esc(label(x))}</text>`,
    );
  }
  parts.push(axes(plotW, plotH, o.xLabel, o.yLabel));
  for (const s of o.series) {
    const path = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${esc(s.color)}" stroke-width="2"/>`,
    );
    if (s.points.length <= MAX_MARKED_POINTS) {
      for (const [x, y] of s.points) {
        parts.push(
          `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${esc(s.color)}"><title>${esc(`${s.name} at ${label(x)}: ${label(y)}`)}</title></circle>`,
        );
      }
    }
  }
  return figure(o.title, parts.join(''), legend(o.series));
}

export interface ColumnChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** One column per second: total, and the part drawn over it in the second colour. */
  columns: Array<{ total: number; part: number }>;
  names: [total: string, part: string];
  colors: [total: string, part: string];
}

/** Per-second counts as columns: readable for a one-second flash sale as for a long run. */
export function columnChart(o: ColumnChartOptions): string {
  if (o.columns.length === 0) return emptyChart(o.title, 'no data for this chart');
  const n = o.columns.length;
  const yStep = niceStep(Math.max(...o.columns.map((c) => c.total)), 5);
  const yMax = Math.max(
    yStep,
    Math.ceil(Math.max(...o.columns.map((c) => c.total)) / yStep) * yStep,
  );
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const colW = plotW / n;
  const sy = (y: number) => PAD.top + plotH - (y / yMax) * plotH;
  const parts: string[] = [];
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    parts.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" class="grid"/>`,
    );
    parts.push(
      `<text x="${PAD.left - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end">${esc(label(y))}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(n / 20));
  o.columns.forEach((c, i) => {
    const x = PAD.left + i * colW + colW * 0.1;
    const w = colW * 0.8;
    const tip = `second ${i + 1}: ${label(c.total)} ${o.names[0]}, ${label(c.part)} ${o.names[1]}`;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${sy(c.total).toFixed(1)}" width="${w.toFixed(1)}" height="${(plotH - (sy(c.total) - PAD.top)).toFixed(1)}" fill="${esc(o.colors[0])}"><title>${esc(tip)}</title></rect>`,
    );
    if (c.part > 0) {
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${sy(c.part).toFixed(1)}" width="${w.toFixed(1)}" height="${(plotH - (sy(c.part) - PAD.top)).toFixed(1)}" fill="${esc(o.colors[1])}"/>`,
      );
    }
    if (i % every === 0) {
      parts.push(
        `<text x="${(PAD.left + (i + 0.5) * colW).toFixed(1)}" y="${PAD.top + plotH + 16}" text-anchor="middle">${i + 1}</text>`,
      );
    }
  });
  parts.push(axes(plotW, plotH, o.xLabel, o.yLabel));
  const series = [
    { name: o.names[0], color: o.colors[0], points: [] },
    { name: o.names[1], color: o.colors[1], points: [] },
  ];
  return figure(o.title, parts.join(''), legend(series));
}

export interface Bar {
  label: string;
  value: number;
  color: string;
}

export function barChart(title: string, bars: Bar[], unit: string): string {
  if (bars.length === 0) return emptyChart(title, 'no data for this chart');
  const rowH = 28;
  const labelW = 300;
  const height = bars.length * rowH + 24;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plotW = W - labelW - 120;
  const parts = bars.map((b, i) => {
    const y = 8 + i * rowH;
    const w = Math.max(1, (b.value / max) * plotW);
    return (
      `<text x="${labelW - 8}" y="${y + 17}" text-anchor="end">${esc(b.label)}</text>` +
      `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${esc(b.color)}"><title>${esc(`${b.label}: ${label(b.value)} ${unit}`)}</title></rect>` +
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 17}">${esc(`${label(b.value)} ${unit}`)}</text>`
    );
  });
  return figure(title, parts.join(''), '', height);
}

function legend(series: Series[]): string {
  return `<div class="legend">${series
    .map((s) => `<span><i style="background:${esc(s.color)}"></i>${esc(s.name)}</span>`)
    .join('')}</div>`;
}

function figure(title: string, body: string, after: string, height = H): string {
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(title)}">${body}</svg>${after}</figure>`;
}

function emptyChart(title: string, why: string): string {
  return `<figure><figcaption>${esc(title)}</figcaption><p class="note">${esc(why)}</p></figure>`;
}

/** The two axis lines and their labels, the same on every chart. */
function axes(plotW: number, plotH: number, xLabel: string, yLabel: string): string {
  return (
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}" class="axis"/>` +
    `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" class="axis"/>` +
    `<text x="${PAD.left + plotW / 2}" y="${H - 6}" text-anchor="middle" class="axis-label">${esc(xLabel)}</text>` +
    `<text transform="translate(14 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle" class="axis-label">${esc(yLabel)}</text>`
  );
}
