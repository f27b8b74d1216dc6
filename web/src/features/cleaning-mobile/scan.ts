/** The area's code as printed (`ca.<id>.<sig>`), also when a scanner app hands over a URL or text that carries it. */
export function codeFromScan(text: string): string {
  const m = /ca\.[0-9a-f-]{36}\.[A-Za-z0-9_-]+/.exec(text.trim());
  return m ? m[0] : text.trim();
}
