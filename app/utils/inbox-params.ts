// The inbox's tabs and sort orders, shared by the page, the API and the task service.
// "all": mine and my groups' (the default view); "mine": assigned to me; "groups": unclaimed
// tasks of my lanes (my roles and unit); "overdue": those of "all" past their due date.
export const INBOX_FILTERS = ["all", "mine", "groups", "overdue"] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

export const INBOX_SORTS = ["due", "priority", "created"] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

/** The case list's status filter (cases table CHECK constraint, migrations/0003_workflow.ts). */
export const CASE_STATUSES = ["running", "incident", "completed", "cancelled"] as const;
export type CaseStatusFilter = (typeof CASE_STATUSES)[number];
