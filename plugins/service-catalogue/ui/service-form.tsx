import { Alert, Button, Fieldset, Group, NativeSelect, NumberInput, Radio, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, Link, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { SERVICE_FIELDS } from "../schema";
import { NameLintPanel } from "./name-lint";

// The create/edit form of a service: the service card (what customers see), its
// classification (documentation card) and the linked workflow (its steps and chart). Arabic
// first, each field with its English twin beside it. Submitted as a plain form; the server
// validates and answers field by field, and the values typed are kept.

/** English fields inside the RTL page: left to right and aligned left. */
export const LTR = {
  dir: "ltr",
  lang: "en",
  styles: { input: { textAlign: "left" as const } },
};

/** Their Arabic twins, right to left even when the interface is in English. */
export const RTL = {
  dir: "rtl",
  lang: "ar",
  styles: { input: { textAlign: "right" as const } },
};

export type ServiceFormValues = Record<(typeof SERVICE_FIELDS)[number], string>;

export interface ServiceFormProps {
  values: ServiceFormValues;
  fieldErrors: Record<string, string>;
  message?: string | null;
  units: { id: string; code: string; name: string }[];
  parents: { id: string; code: string; name: string }[];
  workflows: { key: string; name: string }[];
  submitLabel: string;
  cancelTo: string;
  rowVersion?: number;
}

export function emptyServiceValues(entity: { ar: string; en: string }): ServiceFormValues {
  const v = Object.fromEntries(SERVICE_FIELDS.map((k) => [k, ""])) as ServiceFormValues;
  return {
    ...v,
    entityAr: entity.ar,
    entityEn: entity.en,
    segment: "G2C",
    level: "main",
    linkage: "unlinked",
    channel: "traditional",
  };
}

export function ServiceForm({ values, fieldErrors, message, units, parents, workflows, submitLabel, cancelTo, rowVersion }: ServiceFormProps) {
  const { t } = useTranslation("service-catalogue");
  const busy = useNavigation().state === "submitting";
  const [nameAr, setNameAr] = useState(values.nameAr);
  const [nameEn, setNameEn] = useState(values.nameEn);
  const [level, setLevel] = useState(values.level || "main");
  const [linkage, setLinkage] = useState(values.linkage || "unlinked");
  const err = (k: keyof ServiceFormValues) => fieldErrors[k];
  const text = (k: keyof ServiceFormValues, label: string, props: Record<string, unknown> = {}) => <TextInput name={k} label={t(label)} defaultValue={values[k]} error={err(k)} {...props} />;
  const area = (k: keyof ServiceFormValues, label: string, props: Record<string, unknown> = {}) => (
    <Textarea name={k} label={t(label)} defaultValue={values[k]} error={err(k)} autosize minRows={2} {...props} />
  );
  const pair = (ar: keyof ServiceFormValues, en: keyof ServiceFormValues, kind: "text" | "area", arLabel: string, enLabel: string, extra: Record<string, unknown> = {}) => (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      {kind === "text" ? text(ar, arLabel, { ...extra, ...RTL }) : area(ar, arLabel, { ...extra, ...RTL })}
      {kind === "text" ? text(en, enLabel, { ...extra, ...LTR }) : area(en, enLabel, { ...extra, ...LTR })}
    </SimpleGrid>
  );

  return (
    <Form method="post" noValidate>
      <CsrfInput />
      {rowVersion !== undefined ? <input type="hidden" name="rowVersion" value={rowVersion} /> : null}
      <Stack gap="lg">
        {message ? (
          <Alert color="red" role="alert">
            {message}
          </Alert>
        ) : null}

        <Fieldset legend={t("form.cardSection")}>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t("form.cardHelp")}
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <div>
                <TextInput
                  name="nameAr"
                  label={t("form.nameAr")}
                  required
                  value={nameAr}
                  onChange={(e) => setNameAr(e.currentTarget.value)}
                  error={err("nameAr")}
                  aria-describedby="lint-ar"
                  maxLength={200}
                  {...RTL}
                />
                <NameLintPanel id="lint-ar" value={nameAr} language="ar" />
              </div>
              <div>
                <TextInput
                  name="nameEn"
                  label={t("form.nameEn")}
                  value={nameEn}
                  onChange={(e) => setNameEn(e.currentTarget.value)}
                  error={err("nameEn")}
                  aria-describedby="lint-en"
                  maxLength={200}
                  {...LTR}
                />
                <NameLintPanel id="lint-en" value={nameEn} language="en" />
              </div>
            </SimpleGrid>
            {pair("descriptionAr", "descriptionEn", "area", "form.descriptionAr", "form.descriptionEn", { description: t("form.descriptionHelp") })}
            {pair("entityAr", "entityEn", "text", "form.entityAr", "form.entityEn")}
            <NativeSelect
              name="unitId"
              label={t("form.unit")}
              description={t("form.unitHelp")}
              required
              defaultValue={values.unitId}
              error={err("unitId")}
              data={[
                { value: "", label: t("form.chooseUnit") },
                ...units.map((u) => ({
                  value: u.id,
                  label: `${u.code} — ${u.name}`,
                })),
              ]}
            />
            {pair("conditionsAr", "conditionsEn", "area", "form.conditionsAr", "form.conditionsEn", { description: t("form.linesHelp") })}
            {pair("documentsAr", "documentsEn", "area", "form.documentsAr", "form.documentsEn", { description: t("form.linesHelp") })}
            <Radio.Group name="channel" label={t("form.channel")} defaultValue={values.channel || "traditional"} error={err("channel")}>
              <Stack gap={6} mt={6}>
                {(["traditional", "partial", "digital"] as const).map((c) => (
                  <Radio key={c} value={c} label={t(`channel.${c}`)} description={t(`channelHelp.${c}`)} />
                ))}
              </Stack>
            </Radio.Group>
            {pair("channelDetailsAr", "channelDetailsEn", "text", "form.channelDetailsAr", "form.channelDetailsEn")}
            {pair("feesAr", "feesEn", "text", "form.feesAr", "form.feesEn")}
            {pair("contactAr", "contactEn", "text", "form.contactAr", "form.contactEn")}
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <NumberInput
                name="estimatedMinutes"
                label={t("form.estimatedMinutes")}
                description={t("form.estimatedHelp")}
                defaultValue={values.estimatedMinutes === "" ? "" : Number(values.estimatedMinutes)}
                min={0}
                max={525600}
                allowDecimal={false}
                error={err("estimatedMinutes")}
              />
            </SimpleGrid>
            {pair("finalProductAr", "finalProductEn", "text", "form.finalProductAr", "form.finalProductEn")}
            {pair("categoryAr", "categoryEn", "text", "form.categoryAr", "form.categoryEn", { description: t("form.categoryHelp") })}
          </Stack>
        </Fieldset>

        <Fieldset legend={t("form.classificationSection")}>
          <Stack gap="sm">
            <Radio.Group name="segment" label={t("form.segment")} defaultValue={values.segment || "G2C"} error={err("segment")}>
              <Stack gap={6} mt={6}>
                {(["G2C", "G2B", "G2G"] as const).map((s) => (
                  <Radio key={s} value={s} label={t(`segmentLong.${s}`)} />
                ))}
              </Stack>
            </Radio.Group>
            <Radio.Group name="level" label={t("form.level")} value={level} onChange={setLevel} error={err("level")}>
              <Group mt={6}>
                <Radio value="main" label={t("level.main")} />
                <Radio value="sub" label={t("level.sub")} />
              </Group>
            </Radio.Group>
            {level === "sub" ? (
              <NativeSelect
                name="parentId"
                label={t("form.parent")}
                defaultValue={values.parentId}
                error={err("parentId")}
                data={[
                  { value: "", label: t("form.chooseParent") },
                  ...parents.map((p) => ({
                    value: p.id,
                    label: `${p.code} — ${p.name}`,
                  })),
                ]}
              />
            ) : (
              <input type="hidden" name="parentId" value="" />
            )}
            <Radio.Group name="linkage" label={t("form.linkage")} description={t("form.linkageHelp")} value={linkage} onChange={setLinkage} error={err("linkage")}>
              <Group mt={6}>
                <Radio value="unlinked" label={t("linkage.unlinked")} />
                <Radio value="linked" label={t("linkage.linked")} />
              </Group>
            </Radio.Group>
            {linkage === "linked" ? (
              <>
                <NativeSelect
                  name="linkType"
                  label={t("form.linkType")}
                  defaultValue={values.linkType}
                  error={err("linkType")}
                  data={[{ value: "", label: t("form.chooseLinkType") }, ...(["electronic", "traditional", "other"] as const).map((k) => ({ value: k, label: t(`linkType.${k}`) }))]}
                />
                {pair("linkedEntityAr", "linkedEntityEn", "text", "form.linkedEntityAr", "form.linkedEntityEn")}
              </>
            ) : (
              <>
                <input type="hidden" name="linkType" value="" />
                <input type="hidden" name="linkedEntityAr" value="" />
                <input type="hidden" name="linkedEntityEn" value="" />
              </>
            )}
            {text("slaReference", "form.slaReference", {
              description: t("form.slaHelp"),
            })}
          </Stack>
        </Fieldset>

        <Fieldset legend={t("form.workflowSection")}>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t("form.workflowHelp")}
            </Text>
            <NativeSelect
              name="workflowKey"
              label={t("form.workflow")}
              defaultValue={values.workflowKey}
              error={err("workflowKey")}
              data={[
                { value: "", label: t("form.noWorkflow") },
                ...workflows.map((w) => ({
                  value: w.key,
                  label: `${w.name} (${w.key})`,
                })),
              ]}
            />
          </Stack>
        </Fieldset>

        <Text size="sm" c="dimmed">
          {t("form.codeNote")}
        </Text>
        <Group>
          <Button type="submit" loading={busy}>
            {submitLabel}
          </Button>
          <Button component={Link} to={cancelTo} variant="default">
            {t("form.cancel")}
          </Button>
        </Group>
      </Stack>
    </Form>
  );
}
