/**
 * Wraps a value in Unicode first-strong isolates (FSI … PDI) so an Arabic name inside an
 * English sentence — or Latin digits inside an Arabic one — keeps its own direction and
 * does not drag the neighbouring words or dates out of order.
 */
export function isolate(value: string): string {
  return `\u2068${value}\u2069`;
}
