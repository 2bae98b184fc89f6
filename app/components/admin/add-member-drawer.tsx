import { Alert, Button, Drawer, Group, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Form, useNavigation, useSearchParams } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { RolesSelect, UnitSelect, type RoleOption, type UnitOption } from "./member-fields";

export interface AddMemberActionData {
  values: { email: string; name: string; unitId: string; title: string; roleIds: string[] };
  fieldErrors: Record<string, string>;
}

/** Opened by ?add=1 so that a failed submit (same URL) reopens it with the input kept. */
export function AddMemberDrawer({ units, roles, actionData }: { units: UnitOption[]; roles: RoleOption[]; actionData?: AddMemberActionData }) {
  const { t } = useTranslation("admin");
  const [params, setParams] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const opened = params.get("add") === "1";
  const close = () => {
    const next = new URLSearchParams(params);
    next.delete("add");
    setParams(next);
  };
  const values = actionData?.values;
  const errors = actionData?.fieldErrors ?? {};
  return (
    <Drawer opened={opened} onClose={close} position="right" size="md" title={t("users.addTitle")} closeButtonProps={{ "aria-label": t("common:actions.cancel") }}>
      <Form method="post" noValidate>
        <CsrfInput />
        <Stack>
          <Text size="sm" c="dimmed">
            {t("users.addHelp")}
          </Text>
          {Object.keys(errors).length ? (
            <Alert color="red" role="alert">
              {t("common:errors.invalid")}
            </Alert>
          ) : null}
          <TextInput name="email" type="email" dir="ltr" label={t("users.fields.email")} required autoComplete="off" defaultValue={values?.email} error={errors.email} />
          <TextInput name="name" label={t("users.fields.name")} required autoComplete="off" defaultValue={values?.name} error={errors.name} />
          <PasswordInput
            name="password"
            label={t("users.fields.password")}
            description={t("users.fields.passwordHint")}
            required
            autoComplete="new-password"
            error={errors.password}
          />
          <UnitSelect units={units} defaultValue={values?.unitId || null} error={errors.unitId} label={t("users.fields.unit")} />
          <TextInput name="title" label={t("users.fields.title")} defaultValue={values?.title} error={errors.title} />
          <RolesSelect roles={roles} defaultValue={values?.roleIds ?? []} error={errors.roleIds} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("common:actions.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("users.add")}
            </Button>
          </Group>
        </Stack>
      </Form>
    </Drawer>
  );
}
