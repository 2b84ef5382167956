/** Text and attribute values made safe to embed in HTML or inline SVG: labels and paths come from users. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
