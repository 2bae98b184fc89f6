import { data, type RouterContextProvider } from "react-router";
import type { Localised } from "~/engine/definition";
import { getLatestPublishedVersion } from "~/models/forms.server";
import { startFormKey } from "~/models/cases.server";
import { displayPrefs, findOrgBySlug } from "~/models/organisations.server";
import { isPluginEnabledFor } from "~/models/plugin-orgs.server";
import { portalSecret } from "~/models/portal-requests.server";
import { getPublishedVersion } from "~/models/published-versions.server";
import { getLocale } from "~/middleware/i18next";
import { issueTicket } from "~/portal/ticket.server";
import { getPublishedService, PLUGIN_ID } from "~plugins/service-catalogue/public.server";
import type { PublicServiceDetail } from "~plugins/service-catalogue/public-types";
import { requestContext } from "./context.server";
import { appDb, withTenant, type Tx } from "./db.server";
import type { DisplayPrefs } from "./format";

// The public portal's server side (ADR 010): /o/:org is an organisation's portal when the
// organisation exists, is not disabled and has the service catalogue enabled — otherwise 404,
// the same answer whichever it is. There is no user: reads run in a tenant scope without one,
// so RLS still confines every query to this organisation.

export interface PortalOrg {
  id: string;
  slug: string;
  name: Localised;
  /** The organisation's own language: staff-facing texts (case titles) are written in it. */
  defaultLocale: "ar" | "en";
  prefs: DisplayPrefs;
  locale: "ar" | "en";
}

export function portalNotFound(): never {
  throw data({ code: "not_found" }, { status: 404 });
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
// The layout's and the page's loaders resolve the same request: the lookup is made once.
const resolved = new WeakMap<Request, Promise<PortalOrg | null>>();

async function resolve(slug: string, locale: "ar" | "en"): Promise<PortalOrg | null> {
  if (!SLUG.test(slug)) return null;
  const db = appDb();
  const org = await findOrgBySlug(db, slug);
  if (!org) return null;
  const enabled = await withTenant(db, { orgId: org.id }, (trx) => isPluginEnabledFor(trx, org.id, PLUGIN_ID));
  if (!enabled) return null;
  return {
    id: org.id,
    slug: org.slug,
    name: { ar: org.name_ar, en: org.name_en },
    defaultLocale: org.default_locale,
    prefs: displayPrefs(org, locale),
    locale,
  };
}

export async function requirePortalOrg(args: { request: Request; context: Readonly<RouterContextProvider>; params: { org?: string } }): Promise<PortalOrg> {
  let found = resolved.get(args.request);
  if (!found) {
    found = resolve(args.params.org ?? "", getLocale(args.context) === "en" ? "en" : "ar");
    resolved.set(args.request, found);
  }
  return (await found) ?? portalNotFound();
}

/** A tenant transaction of the portal: the organisation, nobody signed in. */
export function portalRead<T>(org: PortalOrg, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return withTenant(appDb(), { orgId: org.id }, fn);
}

export function clientIp(context: Readonly<RouterContextProvider>): string {
  return context.get(requestContext).ip;
}

/** Does the JSON Schema have a file field? (Files need an uploader the portal does not have.) */
function hasFileField(schema: unknown): boolean {
  if (!schema || typeof schema !== "object") return false;
  if (Array.isArray(schema)) return schema.some(hasFileField);
  return Object.entries(schema).some(([k, v]) => k === "x-masar-file" || hasFileField(v));
}

export type RequestPage =
  | { available: true; form: { id: string; schema: unknown; uiSchema: unknown; translations: { ar?: Record<string, string>; en?: Record<string, string> } | null } | null }
  | { available: false; reason: "not_digital" | "form_missing" | "needs_files" };

/** What the request page of a service shows: its start form, or why it cannot be requested here. */
export async function loadRequestPage(trx: Tx, orgId: string, service: PublicServiceDetail): Promise<RequestPage> {
  if (!service.digital || !service.workflowKey) return { available: false, reason: "not_digital" };
  const version = await getPublishedVersion(trx, orgId, service.workflowKey);
  if (!version) return { available: false, reason: "not_digital" };
  const formKey = startFormKey(version.graph);
  if (!formKey) return { available: true, form: null };
  const form = await getLatestPublishedVersion(trx, orgId, { key: formKey });
  if (!form) return { available: false, reason: "form_missing" };
  if (hasFileField(form.schema)) return { available: false, reason: "needs_files" };
  return {
    available: true,
    form: { id: form.id, schema: form.schema, uiSchema: form.ui_schema, translations: form.translations as { ar?: Record<string, string>; en?: Record<string, string> } | null },
  };
}

/** The published service of a code, or 404. */
export async function requirePublishedService(trx: Tx, org: PortalOrg, code: string): Promise<PublicServiceDetail> {
  if (!code || code.length > 100) portalNotFound();
  return (await getPublishedService(trx, org.id, code)) ?? portalNotFound();
}

export async function newTicket(org: PortalOrg, serviceCode: string): Promise<string> {
  return issueTicket(await portalSecret(appDb()), org.id, serviceCode);
}

/** Tracking answers and codes must not be kept by browsers or proxies. */
export const NO_STORE = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };
