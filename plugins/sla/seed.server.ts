import { addMonths, dayOf, instantOf, isoDay } from "~/engine/zoned-time";
import { log } from "~/utils/log.server";
import type { Tx } from "~/utils/db.server";
import type { PluginSeed } from "../contract";
import type { ServiceCatalogueTables } from "../service-catalogue/db";
import { quartersUntil, workingDayOnOrAfter, type AgreementContent, type LadderLevel, type Signature } from "./agreement";
import { createAgreement, findAgreement, saveAgreement, signVersion, TEMPLATE_OBJECTIVES } from "./agreements.server";
import { recordBreach } from "./breaches.server";
import { orgToday } from "./calendar.server";
import type { SlaTables } from "./db";
import { linkableServices, setLinks } from "./links.server";
import { recordMeeting } from "./meetings.server";
import { readSlaSettings } from "./settings";

// Demo data (seeds/plugins.ts runs it after enabling the plugin): the social-services department
// (the recipient) and the Ministry of Labour and Social Development (the provider) signed
// "اتفاق مستوى خدمة التحقق من بيانات الأسر المستفيدة" ten months ago; version 2 (letters answered
// within five working days instead of seven) is in force, after one minor change (the ministry
// monitor's email). Both four-level ladders are filled; two breaches are on the ledger with
// cause and fix, the third quarter's meeting has its minutes, and the annual review of the
// current term is coming up. The verification step of the catalogue's "family-data-update"
// service runs under the agreement, when the catalogue has it. Dates follow the day the demo is
// seeded, so the review stays "pending" on a fresh demo.

export const DEMO_AGREEMENT_NAME = "اتفاق مستوى خدمة التحقق من بيانات الأسر المستفيدة";
export const DEMO_LINKED_WORKFLOW = { key: "family-data-update", nodeId: "verify" } as const;
const PROVIDER = "وزارة العمل والتنمية الاجتماعية";
const DAY_MINUTES = 7 * 60; // a working day of the default calendar (07:30–14:30)
const tables = (trx: Tx) => trx.withTables<SlaTables>();

async function memberId(trx: Tx, orgId: string, email: string): Promise<string | null> {
  const row = await trx
    .selectFrom("users as u")
    .innerJoin("memberships as m", "m.user_id", "u.id")
    .select("u.id")
    .where("m.org_id", "=", orgId)
    .where("u.email", "=", email)
    .executeTakeFirst();
  return row?.id ?? null;
}

const level = (name: string, title: string, email: string, hours: number, userId: string | null = null): LadderLevel => ({ name, title, email, maxResponseMinutes: hours * 60, userId });

export const seedAgreements: PluginSeed = async ({ trx, orgId, adminUserId, orgSlug, settings }) => {
  if (orgSlug !== "social-services") return;
  const actor = { orgId, actorUserId: adminUserId, actorLabel: "seed", requestId: null, ip: null };
  const sla = tables(trx);
  const ladderHours = readSlaSettings(settings).ladderHours;
  const hours = (i: number) => ladderHours[i] ?? ladderHours[ladderHours.length - 1]!;
  const org = await trx.selectFrom("organisations").select(["name_ar"]).where("id", "=", orgId).executeTakeFirstOrThrow();
  const manager = await memberId(trx, orgId, `manager@${orgSlug}.example`);
  const staff = await memberId(trx, orgId, `staff@${orgSlug}.example`);
  const { today, calendar, timeZone } = await orgToday(trx, orgId, new Date());
  const t = dayOf(today)!;
  const start = isoDay(addMonths(t, -10));
  const at = (day: string, minute = 10 * 60) => new Date(instantOf(dayOf(day)!, minute, timeZone));
  const plusMonths = (months: number, days = 0) => workingDayOnOrAfter(isoDay(addMonths(dayOf(start)!, months) + days), calendar);

  const v1: AgreementContent = {
    nameAr: DEMO_AGREEMENT_NAME,
    nameEn: "Service-level agreement for verifying beneficiary family data",
    introduction:
      "تعتمد خدمة «تحديث بيانات أسرة مستفيدة» التي تقدمها دائرة الخدمات الاجتماعية على تحقق وزارة العمل والتنمية الاجتماعية من بيانات الأسرة في سجلاتها. ينظم هذا الاتفاق أزمنة الاستجابة ومستويات التصعيد وأدوار الطرفين ومسؤولياتهما، ورصد أي إخلال بالاتفاق ومعالجته بصورة دورية.",
    objectives: [...TEMPLATE_OBJECTIVES],
    provider: {
      entity: PROVIDER,
      monitor: { unit: "إدارة الخدمات المشتركة", name: "سعد العنزي", title: "رئيس قسم الربط الإلكتروني", email: "s.alanazi@labour-ministry.example", userId: null },
      ladder: [
        level("هيا الزهراني", "أخصائية التحقق من البيانات", "h.alzahrani@labour-ministry.example", hours(0)),
        level("سعد العنزي", "رئيس قسم الربط الإلكتروني", "s.alanazi@labour-ministry.example", hours(1)),
        level("تركي المطيري", "مدير إدارة الخدمات المشتركة", "t.almutairi@labour-ministry.example", hours(2)),
        level("عبدالرحمن السبيعي", "وكيل الوزارة المساعد للخدمات المساندة", "a.alsubaie@labour-ministry.example", hours(3)),
      ],
      responsibilities: [
        "التحقق من بيانات الأسرة المستفيدة المحالة من الدائرة والرد خلال زمن الاستجابة المتفق عليه.",
        "إخطار الدائرة عبر البريد الإلكتروني بأي تغيير بسيط في أسماء الإدارات أو المسميات الوظيفية أو عناوين البريد الإلكتروني.",
        "التنسيق للاجتماع ربع السنوي وعرض حالات الإخلال وأسبابها والحلول المقترحة.",
      ],
    },
    recipient: {
      entity: org.name_ar,
      monitor: { unit: "إدارة الشراكات", name: "خالد الشامسي", title: "مدير إدارة الشراكات", email: "manager@social-services.example", userId: manager },
      ladder: [
        level("فاطمة النقبي", "موظفة خدمة متعاملين", "staff@social-services.example", hours(0), staff),
        level("خالد الشامسي", "مدير إدارة الشراكات", "manager@social-services.example", hours(1), manager),
        level("سالم الظاهري", "مدير إدارة خدمة المتعاملين", "s.aldhaheri@social-services.example", hours(2)),
        level("أحمد المنصوري", "مدير الدائرة", "a.almansoori@social-services.example", hours(3)),
      ],
      responsibilities: [
        "إحالة طلبات التحقق مكتملة البيانات والمرفقات عبر القناة المتفق عليها.",
        "رصد أي إخلال بالاتفاق وتسجيله في النموذج المخصص لذلك.",
        "تحديث الاتفاق وإصدار نسخة جديدة منه عند تغيير أي من بنوده وعمل اللازم لتوقيعها.",
      ],
    },
    ourSide: "recipient",
    term: { startDate: start, months: 12, autoRenew: true },
    majorChangesNote: "تغيير أزمنة الاستجابة أو مستويات التصعيد أو نطاق البيانات المتحقق منها.",
    responseTimes: { emailMinutes: 2 * DAY_MINUTES, letterMinutes: 7 * DAY_MINUTES },
  };
  const signatures = (date: string): Signature[] => [
    { side: "provider", entity: PROVIDER, title: "وكيل الوزارة المساعد للخدمات المساندة", name: "عبدالرحمن السبيعي", date },
    { side: "recipient", entity: org.name_ar, title: "مدير الدائرة", name: "أحمد المنصوري", date },
  ];
  const rowVersion = async () => (await findAgreement(trx, orgId, created.id))!.row_version;

  // Version 1, signed on the day the term starts.
  const created = await createAgreement(trx, actor, v1);
  const signed1 = await signVersion(trx, actor, created.id, { version: 1, signatures: signatures(start), expectedRowVersion: await rowVersion() });
  if (!signed1.ok) throw new Error(`demo agreement v1: ${signed1.reason}`);
  // A minor change two months later: the ministry monitor's new email, no new version.
  const minor = structuredClone(v1);
  minor.provider.monitor.email = "shared-services@labour-ministry.example";
  const savedMinor = await saveAgreement(trx, actor, created.id, minor, { expectedRowVersion: await rowVersion(), changeNote: "" });
  if (!savedMinor.ok || savedMinor.kind !== "minor") throw new Error(`demo agreement minor change: ${JSON.stringify(savedMinor)}`);
  // Version 2: official letters answered within five working days instead of seven.
  const v2 = structuredClone(minor);
  v2.responseTimes.letterMinutes = 5 * DAY_MINUTES;
  const note = "تقليص زمن الرد على المراسلات الرسمية من سبعة أيام عمل إلى خمسة بعد مراجعة حالات الإخلال في الربع الثاني";
  const savedMajor = await saveAgreement(trx, actor, created.id, v2, { expectedRowVersion: await rowVersion(), changeNote: note });
  if (!savedMajor.ok || savedMajor.kind !== "major") throw new Error(`demo agreement v2: ${JSON.stringify(savedMajor)}`);
  const v2Signed = plusMonths(6);
  const signed2 = await signVersion(trx, actor, created.id, { version: 2, signatures: signatures(v2Signed), expectedRowVersion: await rowVersion() });
  if (!signed2.ok) throw new Error(`demo agreement v2 signature: ${signed2.reason}`);

  // The history as it happened over the year (the calls above all ran today).
  const when: Record<string, Date> = {
    "1:version": at(isoDay(dayOf(start)! - 21)),
    "1:signed": at(start, 11 * 60),
    "1:minor": at(plusMonths(2, 3)),
    "2:version": at(plusMonths(5, 10)),
    "2:signed": at(v2Signed, 11 * 60),
  };
  for (const [key, instant] of Object.entries(when)) {
    const [version, kind] = key.split(":") as [string, "version" | "signed" | "minor"];
    await sla.updateTable("sla_agreement_history").set({ at: instant }).where("org_id", "=", orgId).where("agreement_id", "=", created.id).where("version", "=", Number(version)).where("kind", "=", kind).execute();
  }
  for (const [version, created_at, signed_at] of [
    [1, when["1:version"]!, when["1:signed"]!],
    [2, when["2:version"]!, when["2:signed"]!],
  ] as const) {
    await sla.updateTable("sla_agreement_version").set({ created_at, signed_at, updated_at: signed_at }).where("org_id", "=", orgId).where("agreement_id", "=", created.id).where("version", "=", version).execute();
  }
  await sla.updateTable("sla_agreement").set({ created_at: when["1:version"]! }).where("org_id", "=", orgId).where("id", "=", created.id).execute();

  // Two breaches in the third quarter, each with its cause and fix, and that quarter's meeting.
  const quarters = quartersUntil(start, today, calendar);
  const third = quarters[2]!;
  const breachDays = [workingDayOnOrAfter(isoDay(dayOf(third.start)! + 20), calendar), workingDayOnOrAfter(isoDay(dayOf(third.start)! + 45), calendar)];
  const breaches = [
    {
      occurredAt: at(breachDays[0]!, 12 * 60).toISOString(),
      side: "provider" as const,
      description: "تأخر رد الوزارة على طلب تحقق من بيانات أسرة مستفيدة أُرسل بالبريد الإلكتروني ثلاثة أيام عمل بدلًا من يومين.",
      cause: "تعطل خدمة الربط الإلكتروني بين الجهتين خلال تحديث أنظمة الوزارة.",
      fix: "إخطار الدائرة مسبقًا بمواعيد التحديث، وتحويل الطلبات إلى البريد الإلكتروني للمراقب خلال التعطل.",
    },
    {
      occurredAt: at(breachDays[1]!, 9 * 60).toISOString(),
      side: "recipient" as const,
      description: "أحالت الدائرة طلب تحقق دون صورة بطاقة الهوية فأعادته الوزارة.",
      cause: "عدم اكتمال مرفقات الطلب قبل إحالته.",
      fix: "إضافة قائمة تحقق من المرفقات في خطوة التحقق من البيانات قبل الإحالة.",
    },
  ];
  for (const b of breaches) {
    const r = await recordBreach(trx, { ...actor, actorUserId: manager ?? adminUserId }, created.id, b);
    if (!r.ok) throw new Error(`demo breach: ${r.reason}`);
  }
  const meeting = await recordMeeting(trx, { ...actor, actorUserId: manager ?? adminUserId }, created.id, {
    quarterStart: third.start,
    heldOn: third.meetingDate,
    attendees: "خالد الشامسي (إدارة الشراكات، الدائرة)؛ سالم الظاهري (إدارة خدمة المتعاملين، الدائرة)؛ سعد العنزي (إدارة الخدمات المشتركة، الوزارة)؛ هيا الزهراني (الوزارة)",
    minutes:
      "عُرضت حالتا الإخلال المسجلتان في الربع الثالث وأسبابهما. اتفق الطرفان على أن تُخطر الوزارة الدائرة مسبقًا بمواعيد تحديث أنظمتها، وأن تضيف الدائرة قائمة تحقق من المرفقات قبل إحالة الطلبات. يُعرض ما تم في الاجتماع القادم.",
  });
  if (!meeting.ok) throw new Error(`demo meeting: ${meeting.reason}`);

  // The catalogue's digital service verifies family data with the ministry: that step runs under the agreement.
  const linkable = await linkableServices(trx, orgId);
  const service = await trx
    .withTables<ServiceCatalogueTables>()
    .selectFrom("service_catalogue_service")
    .select("id")
    .where("org_id", "=", orgId)
    .where("workflow_key", "=", DEMO_LINKED_WORKFLOW.key)
    .executeTakeFirst();
  if (!service || !linkable.some((s) => s.serviceId === service.id && s.steps.some((step) => step.nodeId === DEMO_LINKED_WORKFLOW.nodeId))) {
    log.warn("demo agreement: no catalogue service with the family-data-update workflow; nothing linked", { orgId });
    return;
  }
  const linked = await setLinks(trx, actor, created.id, [{ serviceId: service.id, nodeId: DEMO_LINKED_WORKFLOW.nodeId, channel: "email", responsibleSide: "provider" }]);
  if (!linked.ok) throw new Error(`demo agreement link: ${JSON.stringify(linked)}`);
};
