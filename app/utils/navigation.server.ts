import type { OrgContext } from "./org-context.server";

export type NavEntry =
  | { kind: "heading"; key: string; label: string; ns: string }
  | { kind: "link"; key: string; label: string; ns: string; path: string };

interface NavItem {
  key: string;
  label: string;
  ns?: string;
  path: string;
  section: "main" | "admin";
  /** Shown when the member can do this (cosmetic; every route checks again). */
  can?: [action: string, subject: string];
  /** A plugin's entry: shown only in organisations that enabled the plugin. */
  pluginId?: string;
}

// Core entries; plugins contribute theirs through the plugin registry.
const CORE_NAV: NavItem[] = [
  { key: "inbox", label: "nav.inbox", path: "inbox", section: "main" },
  { key: "cases", label: "nav.cases", path: "cases", section: "main", can: ["read", "Case"] },
  { key: "forms", label: "nav.fillForms", path: "forms", section: "main", can: ["read", "Form"] },
  { key: "deadlines", label: "nav.dashboard", ns: "deadlines", path: "deadlines", section: "main", can: ["read", "Task"] },
  { key: "units", label: "nav.units", path: "admin/units", section: "admin", can: ["read", "OrgUnit"] },
  { key: "users", label: "nav.users", path: "admin/users", section: "admin", can: ["read", "Member"] },
  { key: "roles", label: "nav.roles", path: "admin/roles", section: "admin", can: ["read", "Role"] },
  // Staff may read definitions (to start cases); the admin entry is for those who edit them.
  { key: "workflows", label: "nav.workflows", path: "admin/workflows", section: "admin", can: ["update", "Definition"] },
  { key: "adminForms", label: "nav.forms", path: "admin/forms", section: "admin", can: ["read", "Form"] },
  { key: "audit", label: "nav.audit", path: "admin/audit", section: "admin", can: ["read", "AuditLog"] },
  { key: "plugins", label: "nav.plugins", path: "admin/plugins", section: "admin", can: ["read", "Plugin"] },
  { key: "organisation", label: "nav.organisation", path: "admin/settings", section: "admin", can: ["update", "Organisation"] },
  // The business calendar is part of the organisation's settings: the same permission.
  { key: "calendar", label: "nav", ns: "calendar", path: "admin/calendar", section: "admin", can: ["update", "Organisation"] },
  // SLA policies belong to the definitions they cover: who edits definitions manages them.
  { key: "slaPolicies", label: "nav.policies", ns: "deadlines", path: "admin/sla", section: "admin", can: ["update", "Definition"] },
  // Outgoing mail is read by the organisation's admins (the same permission as its settings).
  { key: "outbox", label: "nav", ns: "notifications", path: "admin/outbox", section: "admin", can: ["update", "Organisation"] },
];

let extraNav: NavItem[] = [];
export function registerNavItems(items: NavItem[]): void {
  extraNav = items;
}

/** `enabledPlugins`: plugins the organisation enabled (plugin-orgs.server.ts); others' entries are hidden. */
export function navEntries(ctx: Pick<OrgContext, "ability">, enabledPlugins: ReadonlySet<string> = new Set()): NavEntry[] {
  const visible = [...CORE_NAV, ...extraNav].filter(
    (item) => (!item.pluginId || enabledPlugins.has(item.pluginId)) && (!item.can || ctx.ability.can(item.can[0], item.can[1])),
  );
  const link = (item: NavItem): NavEntry => ({ kind: "link", key: item.key, label: item.label, ns: item.ns ?? "common", path: item.path });
  const main = visible.filter((i) => i.section === "main").map(link);
  const admin = visible.filter((i) => i.section === "admin").map(link);
  return admin.length ? [...main, { kind: "heading", key: "admin", label: "nav.admin", ns: "common" }, ...admin] : main;
}
