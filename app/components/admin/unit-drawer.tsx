import { Alert, Button, Divider, Drawer, Group, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, useNavigation, useSearchParams } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { UnitSelect, type UnitOption } from "./member-fields";

export interface UnitActionData {
  intent: string;
  id: string | null;
  values: Record<string, string> | null;
  fieldErrors: Record<string, string>;
}

/**
 * Create/edit/delete form, opened by ?unit=new or ?unit=<id>; a failed submit posts to the
 * same URL, so the drawer reopens with the input and the errors.
 */
export function UnitDrawer({
  units,
  canUpdate,
  canDelete,
  actionData,
}: {
  units: (UnitOption & { parentId: string | null })[];
  canUpdate: boolean;
  canDelete: boolean;
  actionData?: UnitActionData;
}) {
  const { t, i18n } = useTranslation("admin");
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const [confirming, setConfirming] = useState(false);
  const which = params.get("unit");
  const unit = which && which !== "new" ? units.find((u) => u.id === which) : undefined;
  const isNew = which === "new";
  const opened = Boolean(which);
  const close = () => {
    setConfirming(false);
    setParams({});
  };
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const errors = actionData?.fieldErrors ?? {};
  const values = actionData?.values ?? undefined;
  const en = i18n.language === "en";
  const editable = isNew || canUpdate;
  const parentChoices = unit ? units.filter((u) => !descendantsOf(units, unit.id).has(u.id)) : units;
  return (
    <Drawer
      opened={opened}
      onClose={close}
      position="right"
      size="md"
      title={isNew ? t("units.addTitle") : t("units.editTitle")}
      closeButtonProps={{ "aria-label": t("common:actions.cancel") }}
    >
      {!isNew && !unit ? (
        <Alert color="gray">{t("errors.unitNotFound")}</Alert>
      ) : (
        <Stack>
          {errors._form ? (
            <Alert color="red" role="alert">
              {errors._form}
            </Alert>
          ) : null}
          {/* key: a different unit remounts the form, so default values are not carried over. */}
          <Form method="post" noValidate key={which ?? ""}>
            <CsrfInput />
            <input type="hidden" name="intent" value={isNew ? "create" : "update"} />
            {unit ? <input type="hidden" name="id" value={unit.id} /> : null}
            <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0 }}>
              <Stack>
                <TextInput
                  name="code"
                  label={t("units.fields.code")}
                  description={t("units.fields.codeHint")}
                  required
                  dir="ltr"
                  maxLength={20}
                  defaultValue={values?.code ?? unit?.code ?? ""}
                  error={errors.code}
                />
                <TextInput name="name_ar" lang="ar" dir="rtl" label={t("units.fields.nameAr")} required defaultValue={values?.name_ar ?? unit?.name_ar ?? ""} error={errors.name_ar} />
                <TextInput name="name_en" lang="en" dir="ltr" label={t("units.fields.nameEn")} required defaultValue={values?.name_en ?? unit?.name_en ?? ""} error={errors.name_en} />
                <UnitSelect
                  name="parentId"
                  units={parentChoices}
                  label={t("units.fields.parent")}
                  description={t("units.fields.parentHint")}
                  defaultValue={values ? values.parentId || null : (unit?.parentId ?? null)}
                  error={errors.parentId}
                />
                {editable ? (
                  <Group justify="flex-end">
                    <Button variant="default" onClick={close}>
                      {t("common:actions.cancel")}
                    </Button>
                    <Button type="submit" loading={busy("create") || busy("update")}>
                      {isNew ? t("common:actions.create") : t("common:actions.save")}
                    </Button>
                  </Group>
                ) : null}
              </Stack>
            </fieldset>
          </Form>
          {unit && canDelete ? (
            <>
              <Divider />
              <Form method="post" onSubmit={() => setConfirming(false)}>
                <CsrfInput />
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="id" value={unit.id} />
                <Stack gap="xs" align="flex-start">
                  <Text size="sm">{t("units.deleteHelp", { name: en ? unit.name_en : unit.name_ar })}</Text>
                  {confirming ? (
                    <Group gap="xs">
                      <Button type="submit" color="red" loading={busy("delete")}>
                        {t("units.confirmDelete")}
                      </Button>
                      <Button variant="default" onClick={() => setConfirming(false)}>
                        {t("common:actions.cancel")}
                      </Button>
                    </Group>
                  ) : (
                    <Button color="red" variant="light" onClick={() => setConfirming(true)}>
                      {t("common:actions.delete")}
                    </Button>
                  )}
                </Stack>
              </Form>
            </>
          ) : null}
        </Stack>
      )}
    </Drawer>
  );
}

/** The unit and everything under it: never offered as its parent (the server refuses cycles too). */
function descendantsOf(units: { id: string; parentId: string | null }[], id: string): Set<string> {
  const out = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const u of units) {
      if (u.parentId && out.has(u.parentId) && !out.has(u.id)) {
        out.add(u.id);
        grew = true;
      }
    }
  }
  return out;
}
