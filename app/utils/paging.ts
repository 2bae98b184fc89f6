export interface Paging {
  page: number;
  pageSize: number;
  offset: number;
  q: string;
}

/** Reads ?page= and ?q= (search) from a URL; page sizes are fixed per list. */
export function parsePaging(url: URL, pageSize = 25): Paging {
  const page = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  return { page, pageSize, offset: (page - 1) * pageSize, q };
}

/** Escapes % and _ so a search term is matched literally by ILIKE. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
