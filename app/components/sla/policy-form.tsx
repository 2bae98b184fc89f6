import { Alert, Button, Checkbox, Fieldset, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";

export interface LevelValues {
  type: "role" | "user";
  roleKey: string;
  userId: string;
  afterHours: string;
  actions: string[];
}

/** The form as typed (strings), so a refused save shows exactly what was entered. */
export interface PolicyFormValues {
  nameAr: string;
  nameEn: string;
  scope: "case" | "every_step" | "step";
  nodeId: string;
  condition: string;
  responseHours: string;
  resolutionHours: string;
  warnPercents: string;
  active: boolean;
  levels: LevelValues[];
}

interface Option {
  value: string;
  ar: string;
  en: string;
}

interface Props {
  mode: "create" | "update";
  policyId?: string;
  version?: number;
  values: PolicyFormValues;
  errors: Record<string, string>;
  steps: Option[];
  roles: Option[];
  members: { value: string; label: string }[];
  maxLevels: number;
}

const ACTIONS = ["notify", "reassign", "raise_priority"] as const;
let rowSeq = 0;

/** An SLA policy: names, where it applies, targets, warnings and the escalation ladder. */
export function PolicyForm({ mode, policyId, version, values, errors, steps, roles, members, maxLevels }: Props) {
  const { t, i18n } = useTranslation("deadlines");
  const en = i18n.language === "en";
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === mode;
  const [scope, setScope] = useState(values.scope);
  // Rows keep a stable key so that removing a level keeps what was typed in the others.
  const [levels, setLevels] = useState(() => values.levels.map((l) => ({ ...l, key: (rowSeq += 1) })));
  const err = (name: string) => errors[name];
  const local = (o: Option) => (en ? o.en : o.ar);
  const prefix = mode === "create" ? "new" : "edit";
  return (
    <Paper withBorder p="md" radius="md">
      <Form method="post" aria-labelledby={`${prefix}-policy-title`} noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value={mode} />
        {policyId ? <input type="hidden" name="policyId" value={policyId} /> : null}
        {version ? <input type="hidden" name="version" value={version} /> : null}
        <input type="hidden" name="levelCount" value={levels.length} />
        <Stack gap="sm">
          <Title order={2} size="h4" id={`${prefix}-policy-title`}>
            {mode === "create" ? t("admin.new") : t("admin.editing", { name: en ? values.nameEn : values.nameAr })}
          </Title>
          {Object.keys(errors).length ? (
            <Alert color="red" role="alert">
              {errors._form ?? t("admin.fixBelow")}
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput name="nameAr" label={t("admin.fields.nameAr")} defaultValue={values.nameAr} error={err("nameAr")} required maxLength={200} dir="rtl" />
            <TextInput name="nameEn" label={t("admin.fields.nameEn")} defaultValue={values.nameEn} error={err("nameEn")} required maxLength={200} dir="ltr" />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              name="scope"
              label={t("admin.fields.scope")}
              value={scope}
              onChange={(e) => setScope(e.currentTarget.value as PolicyFormValues["scope"])}
              data={(["step", "every_step", "case"] as const).map((s) => ({ value: s, label: t(`admin.scopes.${s}`) }))}
            />
            {scope === "step" ? (
              <NativeSelect
                name="nodeId"
                label={t("admin.fields.nodeId")}
                defaultValue={values.nodeId}
                error={err("nodeId")}
                data={[{ value: "", label: t("admin.fields.chooseStep") }, ...steps.map((s) => ({ value: s.value, label: local(s) }))]}
              />
            ) : null}
          </SimpleGrid>
          <Textarea
            name="condition"
            label={t("admin.fields.condition")}
            description={t("admin.fields.conditionHelp")}
            defaultValue={values.condition}
            error={err("condition")}
            autosize
            minRows={1}
            maxLength={1000}
            dir="ltr"
            styles={{ input: { fontFamily: "monospace" } }}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput name="resolutionHours" label={t("admin.fields.resolutionHours")} description={t("admin.fields.resolutionHelp")} defaultValue={values.resolutionHours} error={err("resolutionHours")} inputMode="decimal" />
            <TextInput name="responseHours" label={t("admin.fields.responseHours")} description={t("admin.fields.responseHelp")} defaultValue={values.responseHours} error={err("responseHours")} inputMode="decimal" />
            <TextInput name="warnPercents" label={t("admin.fields.warnPercents")} description={t("admin.fields.warnHelp")} defaultValue={values.warnPercents} error={err("warnPercents")} dir="ltr" />
          </SimpleGrid>
          <Checkbox name="active" label={t("admin.fields.active")} defaultChecked={values.active} />

          <Fieldset legend={t("admin.ladder")} variant="filled">
            <Text size="sm" c="dimmed" mb="sm">
              {t("admin.ladderHelp")}
            </Text>
            {err("levels") ? (
              <Text c="red.8" size="sm" role="alert">
                {err("levels")}
              </Text>
            ) : null}
            <Stack gap="md">
              {levels.map((level, i) => (
                <LevelRow
                  key={level.key}
                  index={i}
                  level={level}
                  errors={errors}
                  roles={roles.map((r) => ({ value: r.value, label: local(r) }))}
                  members={members}
                  onType={(type) => setLevels((rows) => rows.map((r) => (r.key === level.key ? { ...r, type } : r)))}
                  onRemove={() => setLevels((rows) => rows.filter((r) => r.key !== level.key))}
                />
              ))}
            </Stack>
            {levels.length < maxLevels ? (
              <Button
                variant="light"
                mt="sm"
                onClick={() => setLevels((rows) => [...rows, { type: "role", roleKey: "manager", userId: "", afterHours: "4", actions: ["notify"], key: (rowSeq += 1) }])}
              >
                {t("admin.addLevel")}
              </Button>
            ) : null}
          </Fieldset>
          <Group>
            <Button type="submit" loading={busy} data-testid={`sla-policy-${mode}`}>
              {mode === "create" ? t("admin.create") : t("admin.save")}
            </Button>
          </Group>
        </Stack>
      </Form>
    </Paper>
  );
}

function LevelRow(props: {
  index: number;
  level: LevelValues;
  errors: Record<string, string>;
  roles: { value: string; label: string }[];
  members: { value: string; label: string }[];
  onType: (type: "role" | "user") => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation("deadlines");
  const { index: i, level, errors } = props;
  const name = (field: string) => `levels.${i}.${field}`;
  const n = i + 1;
  return (
    <Paper withBorder p="sm" radius="sm" component="fieldset" aria-label={t("admin.level", { n })} data-testid={`sla-level-${n}`} style={{ margin: 0 }}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t("admin.level", { n })}</Text>
        <Button variant="subtle" color="red" size="compact-sm" onClick={props.onRemove}>
          {t("admin.removeLevel", { n })}
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput name={name("afterHours")} label={i === 0 ? t("admin.afterFirst") : t("admin.afterNext")} defaultValue={level.afterHours} error={errors[name("afterHours")]} inputMode="decimal" />
        <NativeSelect
          name={name("type")}
          label={t("admin.assigneeType")}
          value={level.type}
          onChange={(e) => props.onType(e.currentTarget.value === "user" ? "user" : "role")}
          data={[
            { value: "role", label: t("admin.types.role") },
            { value: "user", label: t("admin.types.user") },
          ]}
        />
        {level.type === "role" ? (
          <NativeSelect
            name={name("roleKey")}
            label={t("admin.role")}
            defaultValue={level.roleKey}
            error={errors[name("assignee")]}
            data={[{ value: "", label: t("admin.chooseRole") }, ...props.roles]}
          />
        ) : (
          <NativeSelect
            name={name("userId")}
            label={t("admin.user")}
            defaultValue={level.userId}
            error={errors[name("assignee")]}
            data={[{ value: "", label: t("admin.chooseUser") }, ...props.members]}
          />
        )}
      </SimpleGrid>
      <Group gap="md" mt="xs" role="group" aria-label={t("admin.actions")}>
        <Text size="sm" fw={500}>
          {t("admin.actions")}:
        </Text>
        {ACTIONS.map((a) => (
          <Checkbox key={a} name={name("actions")} value={a} label={t(`admin.actionNames.${a}`)} defaultChecked={level.actions.includes(a)} />
        ))}
      </Group>
      {errors[name("actions")] ? (
        <Text c="red.8" size="sm" mt={4}>
          {errors[name("actions")]}
        </Text>
      ) : null}
    </Paper>
  );
}
