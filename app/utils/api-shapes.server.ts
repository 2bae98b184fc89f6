import type { UnitPageRow } from "~/models/api-units.server";
import type { MemberListRow } from "~/models/members.server";
import type { Organisation } from "./db-types";

// The API's JSON is camelCase and stable; these mappers are the only place database rows
// become API objects, and app/utils/openapi.ts describes exactly these shapes.

export function organisationJson(org: Organisation) {
  return {
    id: org.id,
    slug: org.slug,
    nameAr: org.name_ar,
    nameEn: org.name_en,
    initials: org.initials,
    defaultLocale: org.default_locale,
    digits: org.digits,
    calendar: org.calendar,
    timeZone: org.time_zone,
  };
}

export function unitJson(unit: UnitPageRow) {
  return {
    id: unit.id,
    code: unit.code,
    nameAr: unit.name_ar,
    nameEn: unit.name_en,
    parentId: unit.parent_id,
    createdAt: unit.created_at.toISOString(),
  };
}

export function memberJson(member: MemberListRow) {
  return {
    userId: member.userId,
    name: member.name,
    email: member.email,
    title: member.title,
    unitId: member.unitId,
    unitNameAr: member.unitName_ar,
    unitNameEn: member.unitName_en,
    disabled: member.disabled,
    roles: member.roles.map((r) => ({ key: r.key, nameAr: r.name_ar, nameEn: r.name_en })),
  };
}

export function pageJson<T>(items: T[], paging: { page: number; pageSize: number }, total: number) {
  return { items, page: paging.page, pageSize: paging.pageSize, total };
}
