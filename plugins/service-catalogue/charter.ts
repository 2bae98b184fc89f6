import type { CharterAxis, Localised, LocalisedList, PublicCharter } from "./public-types";

// The service charter (ميثاق تقديم الخدمات للمتعاملين, guide chapter 4): goals and values,
// provider commitments by axis with their service levels, customer obligations and the
// signature block. Stored as JSON (draft + published versions); read defensively.

export type CharterContent = Omit<PublicCharter, "version" | "publishedAt">;

const text = (v: unknown): string => (typeof v === "string" ? v : "");
const loc = (v: unknown): Localised => {
  const o = (v ?? {}) as Record<string, unknown>;
  return { ar: text(o.ar), en: text(o.en) };
};
const list = (v: unknown): LocalisedList => {
  const o = (v ?? {}) as Record<string, unknown>;
  const items = (x: unknown) => (Array.isArray(x) ? x.filter((i): i is string => typeof i === "string") : []);
  return { ar: items(o.ar), en: items(o.en) };
};

export function readCharterContent(raw: Record<string, unknown> | null | undefined): CharterContent {
  const r = raw ?? {};
  const axes: CharterAxis[] = Array.isArray(r.axes)
    ? r.axes.map((a: Record<string, unknown>) => ({
        axis: loc(a?.axis),
        commitments: Array.isArray(a?.commitments)
          ? a.commitments.map((c: Record<string, unknown>) => ({
              commitment: loc(c?.commitment),
              serviceLevels: list(c?.serviceLevels),
            }))
          : [],
      }))
    : [];
  const sig = (r.signature ?? {}) as Record<string, unknown>;
  const date = typeof sig.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(sig.date) ? sig.date : null;
  return {
    title: loc(r.title),
    introduction: loc(r.introduction),
    values: list(r.values),
    axes,
    customerObligations: list(r.customerObligations),
    signature: { name: loc(sig.name), title: loc(sig.title), date },
  };
}

export function emptyCharter(orgName: Localised): CharterContent {
  return {
    title: {
      ar: `ميثاق تقديم الخدمات للمتعاملين — ${orgName.ar}`,
      en: `Customer service charter — ${orgName.en}`,
    },
    introduction: { ar: "", en: "" },
    values: { ar: [], en: [] },
    axes: [],
    customerObligations: { ar: [], en: [] },
    signature: {
      name: { ar: "", en: "" },
      title: { ar: "", en: "" },
      date: null,
    },
  };
}
