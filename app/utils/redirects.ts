/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null, firstOrgSlug?: string | null): string {
  if (next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")) return next;
  return firstOrgSlug ? `/app/${firstOrgSlug}/inbox` : "/";
}
