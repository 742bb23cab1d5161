const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML/SVG content and attribute values: every string from outside goes through here. */
export const esc = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
