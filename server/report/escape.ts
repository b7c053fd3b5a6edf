/** Escaping for the text renderers: every value from a case or the knowledge base goes through these. */

const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values of HTML and SVG. */
export function escapeXml(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => XML[c]!);
}
export const escapeHtml = escapeXml;
