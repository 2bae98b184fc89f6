// The SLA list's status filter, shared by the dashboard model (server) and the list page (browser).
export const SLA_STATUSES = ["on_time", "at_risk", "breached"] as const;
export type SlaStatusName = (typeof SLA_STATUSES)[number];
export const SLA_LIST_FILTERS = [...SLA_STATUSES, "paused"] as const;
export type SlaListStatus = (typeof SLA_LIST_FILTERS)[number];
