import { notify, type NotifyInput } from "~/models/notifications.server";
import type { Tx } from "~/utils/db.server";

// A few notifications for the demo people, so the bell is not empty on a first visit and the
// outbox (no SMTP in the demo) shows mails in Arabic. They go through notify() like real ones:
// the same dedupe keys, the same outbox rows. They link to the inbox (the demo has no cases yet).

type Demo = Omit<NotifyInput, "orgId" | "userIds" | "link" | "dedupeKey"> & { to: ("admin" | "manager" | "staff")[]; key: string };

const l = (ar: string, en: string) => ({ ar, en });

function demoNotifications(task: { ar: string; en: string }, reference: (n: number) => string): Demo[] {
  return [
    { key: "demo:task-assigned:1", to: ["staff"], kind: "task.assigned", params: { task_ar: task.ar, task_en: task.en, reference: reference(14) } },
    { key: "demo:task-due-soon:1", to: ["staff"], kind: "task.due_soon", params: { task_ar: task.ar, task_en: task.en, reference: reference(11), due_at: "2026-12-03T10:00:00Z" } },
    { key: "demo:sla-warning:1", to: ["manager", "staff"], kind: "sla.warning", params: { task_ar: task.ar, task_en: task.en, reference: reference(9), percent: 75 } },
    { key: "demo:sla-breached:1", to: ["manager"], kind: "sla.breached", params: { task_ar: task.ar, task_en: task.en, reference: reference(7) } },
    { key: "demo:sla-escalated:1", to: ["manager", "admin"], kind: "sla.escalated", params: { task_ar: task.ar, task_en: task.en, reference: reference(7), level: 1 } },
    { key: "demo:case-cancelled:1", to: ["staff"], kind: "case.cancelled", params: { reference: reference(3), reason: "طلب المتعامل إلغاء المعاملة بعد استيفاء الخدمة من جهة أخرى" } },
  ];
}

const TASKS: Record<string, { ar: string; en: string }> = {
  "social-services": l("دراسة الطلب", "Study the request"),
  "crafts-association": l("دراسة الحالة من الباحث الاجتماعي", "Social researcher's review"),
  "labour-ministry": l("مراجعة العرض الفني", "Review the technical offer"),
};

export async function seedNotifications(trx: Tx, input: { orgId: string; slug: string; people: Partial<Record<"admin" | "manager" | "staff", string>> }): Promise<void> {
  const task = TASKS[input.slug] ?? l("مراجعة الطلب", "Review the request");
  for (const demo of demoNotifications(task, (n) => `2026-${String(n).padStart(6, "0")}`)) {
    const userIds = demo.to.map((role) => input.people[role]).filter((id): id is string => Boolean(id));
    await notify(trx, { orgId: input.orgId, userIds, kind: demo.kind, params: demo.params, link: "inbox", dedupeKey: demo.key });
  }
}
