import { assignRoles } from "~/models/roles.server";
import { insertOrganisation, type NewOrgInput } from "~/models/organisations.server";
import { createUser } from "~/models/users.server";
import { recordAudit } from "~/models/audit.server";
import { withPlatform, type Db } from "~/utils/db.server";
import { seedPlugins } from "./plugins";
import { seedForms } from "./forms";
import { seedNotifications } from "./notifications";
import { seedWorkflows } from "./workflows";
import { seedSla } from "./sla";

// Demo data, in Arabic, after the kinds of body in the source documents (DOMAIN.md).
// Every demo account uses this password; README lists the logins.
export const DEMO_PASSWORD = "Masar@2026";

interface DemoOrg extends NewOrgInput {
  units: { code: string; name_ar: string; name_en: string }[];
  people: { email: string; name: string; role: "admin" | "manager" | "staff"; unit: string; title: string }[];
}

export const DEMO_ORGS: DemoOrg[] = [
  {
    slug: "social-services",
    name_ar: "دائرة الخدمات الاجتماعية",
    name_en: "Department of Social Services",
    initials: "د خ ج",
    time_zone: "Asia/Dubai",
    digits: "arab",
    calendar: "gregory",
    units: [
      { code: "16", name_ar: "إدارة خدمة المتعاملين", name_en: "Customer Service Department" },
      { code: "12", name_ar: "إدارة الشراكات", name_en: "Partnerships Department" },
      { code: "20", name_ar: "الشؤون الإدارية والمالية", name_en: "Administrative and Financial Affairs" },
    ],
    people: [
      { email: "admin@social-services.example", name: "مريم الكعبي", role: "admin", unit: "20", title: "مسؤولة النظام" },
      { email: "manager@social-services.example", name: "خالد الشامسي", role: "manager", unit: "12", title: "مدير إدارة الشراكات" },
      { email: "staff@social-services.example", name: "فاطمة النقبي", role: "staff", unit: "16", title: "موظفة خدمة متعاملين" },
    ],
  },
  {
    slug: "crafts-association",
    name_ar: "جمعية الحرفيين الخيرية",
    name_en: "Craftspeople Charity Association",
    initials: "ج ح خ",
    time_zone: "Asia/Riyadh",
    digits: "arab",
    calendar: "islamic-umalqura",
    units: [
      { code: "01", name_ar: "مركز خدمة المستفيدين", name_en: "Beneficiary Service Centre" },
      { code: "02", name_ar: "لجنة البحث الاجتماعي", name_en: "Social Research Committee" },
    ],
    people: [
      { email: "admin@crafts-association.example", name: "عبدالله العتيبي", role: "admin", unit: "01", title: "مدير الجمعية" },
      { email: "manager@crafts-association.example", name: "نورة القحطاني", role: "manager", unit: "02", title: "رئيسة لجنة البحث" },
      { email: "staff@crafts-association.example", name: "سعد الدوسري", role: "staff", unit: "01", title: "باحث اجتماعي" },
    ],
  },
  {
    slug: "labour-ministry",
    name_ar: "وزارة العمل والتنمية الاجتماعية",
    name_en: "Ministry of Labour and Social Development",
    initials: "و ع ت",
    time_zone: "Asia/Riyadh",
    digits: "latn",
    calendar: "gregory",
    default_locale: "ar",
    units: [
      { code: "30", name_ar: "لجنة الشراكة المجتمعية", name_en: "Community Partnership Committee" },
      { code: "31", name_ar: "لجنة المنافسات", name_en: "Tender Committee" },
      { code: "32", name_ar: "الشؤون القانونية", name_en: "Legal Affairs" },
    ],
    people: [
      { email: "admin@labour-ministry.example", name: "ريم الحربي", role: "admin", unit: "30", title: "مسؤولة النظام" },
      { email: "manager@labour-ministry.example", name: "تركي المطيري", role: "manager", unit: "31", title: "رئيس لجنة المنافسات" },
      { email: "staff@labour-ministry.example", name: "هيا الزهراني", role: "staff", unit: "32", title: "أخصائية قانونية" },
    ],
  },
];

export const PLATFORM_ADMIN = { email: "platform@masar.example", name: "مشرف المنصة" };
// Belongs to two organisations, to show the organisation switcher.
export const MULTI_ORG_USER = { email: "consultant@masar.example", name: "ليلى المنصوري" };

/** Creates the demo data once: does nothing if any organisation exists. */
export async function seedDemo(db: Db): Promise<boolean> {
  const existing = await db.selectFrom("organisations").select("id").limit(1).executeTakeFirst();
  if (existing) return false;
  await withPlatform(db, async (trx) => {
    await createUser(trx, { ...PLATFORM_ADMIN, password: DEMO_PASSWORD, isPlatformAdmin: true });
    const multi = await createUser(trx, { ...MULTI_ORG_USER, password: DEMO_PASSWORD });
    for (const demo of DEMO_ORGS) {
      const { org, roles } = await insertOrganisation(trx, demo);
      const units = await trx
        .insertInto("org_units")
        .values(demo.units.map((u) => ({ ...u, org_id: org.id })))
        .returning(["id", "code"])
        .execute();
      const unitId = (code: string) => units.find((u) => u.code === code)?.id ?? null;
      let adminUserId: string | undefined;
      const people: Partial<Record<"admin" | "manager" | "staff", string>> = {};
      for (const person of demo.people) {
        const user = await createUser(trx, { email: person.email, name: person.name, password: DEMO_PASSWORD });
        if (person.role === "admin") adminUserId = user.id;
        people[person.role] = user.id;
        await trx.insertInto("memberships").values({ org_id: org.id, user_id: user.id, unit_id: unitId(person.unit), title: person.title }).execute();
        await assignRoles(trx, org.id, user.id, [roles[person.role]!]);
      }
      if (demo.slug !== "labour-ministry") {
        await trx.insertInto("memberships").values({ org_id: org.id, user_id: multi.id, unit_id: unitId(demo.units[0]!.code), title: "مستشارة" }).execute();
        await assignRoles(trx, org.id, multi.id, [roles.manager!]);
      }
      await recordAudit(trx, { orgId: org.id, actorUserId: null, actorLabel: "seed", action: "organisation.create", subjectType: "Organisation", subjectId: org.id, after: { slug: org.slug } });
      if (adminUserId) {
        // Forms first: the demo workflows name them (start forms, step forms).
        await seedForms(trx, { orgId: org.id, slug: demo.slug, adminUserId });
        await seedWorkflows(trx, { orgId: org.id, slug: demo.slug, adminUserId });
        await seedSla(trx, { orgId: org.id, slug: demo.slug, adminUserId });
      }
      if (adminUserId) await seedPlugins(trx, { orgId: org.id, slug: demo.slug, adminUserId });
      await seedNotifications(trx, { orgId: org.id, slug: demo.slug, people });
    }
  });
  return true;
}
