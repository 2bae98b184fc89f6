import { MultiSelect, Select } from "@mantine/core";
import { useTranslation } from "react-i18next";

export interface UnitOption {
  id: string;
  code: string;
  name_ar: string;
  name_en: string;
  depth: number;
}

export interface RoleOption {
  id: string;
  key: string;
  name_ar: string;
  name_en: string;
}

/** Units in tree order; depth shown with a leading dash per level, so the hierarchy reads in both directions. */
export function UnitSelect({
  units,
  defaultValue,
  error,
  name = "unitId",
  label,
  description,
  excludeId,
}: {
  units: UnitOption[];
  defaultValue: string | null;
  error?: string;
  name?: string;
  label: string;
  description?: string;
  excludeId?: string;
}) {
  const { t, i18n } = useTranslation("admin");
  const en = i18n.language === "en";
  const data = units
    .filter((u) => u.id !== excludeId)
    .map((u) => ({ value: u.id, label: `${"— ".repeat(u.depth)}${en ? u.name_en : u.name_ar} (${u.code})` }));
  return (
    <Select
      name={name}
      label={label}
      description={description}
      placeholder={t("users.noUnit")}
      data={data}
      defaultValue={defaultValue}
      clearable
      searchable
      nothingFoundMessage={t("common:empty")}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function RolesSelect({
  roles,
  defaultValue,
  error,
  disabled,
  description,
}: {
  roles: RoleOption[];
  defaultValue: string[];
  error?: string;
  disabled?: boolean;
  description?: string;
}) {
  const { t, i18n } = useTranslation("admin");
  const en = i18n.language === "en";
  return (
    <MultiSelect
      name="roleIds"
      label={t("users.fields.roles")}
      description={description}
      placeholder={t("users.fields.rolesPlaceholder")}
      data={roles.map((r) => ({ value: r.id, label: en ? r.name_en : r.name_ar }))}
      defaultValue={defaultValue}
      error={error}
      disabled={disabled}
      searchable
      clearable
      comboboxProps={{ withinPortal: true }}
    />
  );
}
