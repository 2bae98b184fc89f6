import { Alert, Button, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { CsrfInput } from "~/components/csrf-input";
import { KPI_FREQUENCIES, KPI_UNITS } from "../kpi";
import { KPI_FIELDS, KPI_METHODS } from "../schema";
import { LTR, RTL } from "./service-form";

// Adding or editing one KPI of a service (guide §3.4: name, formula, measurement frequency,
// target, unit), and how it is measured: computed from the service's cases (a ready formula
// or a FEEL expression) or entered by hand.

export type KpiFormValues = Record<(typeof KPI_FIELDS)[number], string>;

export const EMPTY_KPI: KpiFormValues = {
  nameAr: "",
  nameEn: "",
  formulaAr: "",
  formulaEn: "",
  method: "manual",
  field: "returned",
  expression: "",
  frequency: "half-yearly",
  target: "",
  unit: "percent",
  direction: "atLeast",
};

export function KpiForm({ values, fieldErrors, message, kpiId, legend }: { values: KpiFormValues; fieldErrors: Record<string, string>; message?: string | null; kpiId?: string; legend: string }) {
  const { t } = useTranslation("service-catalogue");
  const busy = useNavigation().state === "submitting";
  const [method, setMethod] = useState(values.method || "manual");
  const input = (k: keyof KpiFormValues, extra: Record<string, unknown> = {}) => ({
    name: k,
    label: t(`kpis.${k}`),
    defaultValue: values[k],
    error: fieldErrors[k],
    ...extra,
  });
  return (
    <Form method="post" noValidate>
      <CsrfInput />
      <input type="hidden" name="intent" value="save" />
      {kpiId ? <input type="hidden" name="kpiId" value={kpiId} /> : null}
      <Fieldset legend={legend}>
        <Stack gap="sm">
          {message ? (
            <Alert color="red" role="alert">
              {message}
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TextInput {...input("nameAr")} required {...RTL} />
            <TextInput {...input("nameEn")} {...LTR} />
            <Textarea {...input("formulaAr")} autosize minRows={1} {...RTL} />
            <Textarea {...input("formulaEn")} autosize minRows={1} {...LTR} />
          </SimpleGrid>
          <NativeSelect
            name="method"
            label={t("kpis.method")}
            value={method}
            onChange={(e) => setMethod(e.currentTarget.value)}
            error={fieldErrors.method}
            data={KPI_METHODS.map((m) => ({
              value: m,
              label: t(`method.${m}`),
            }))}
          />
          {method === "errorRate" ? <TextInput {...input("field")} description={t("kpis.fieldHelp")} dir="ltr" /> : <input type="hidden" name="field" value={values.field} />}
          {method === "custom" ? (
            <Textarea {...input("expression")} description={t("kpis.expressionHelp")} dir="ltr" autosize minRows={2} styles={{ input: { fontFamily: "monospace" } }} />
          ) : (
            <input type="hidden" name="expression" value={values.expression} />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <NativeSelect
              {...input("frequency")}
              data={KPI_FREQUENCIES.map((f) => ({
                value: f,
                label: t(`frequency.${f}`),
              }))}
            />
            <TextInput {...input("target")} inputMode="decimal" required />
            <NativeSelect {...input("unit")} data={KPI_UNITS.map((u) => ({ value: u, label: t(`unit.${u}`) }))} />
            <NativeSelect
              {...input("direction")}
              data={(["atLeast", "atMost"] as const).map((d) => ({
                value: d,
                label: t(`direction.${d}`),
              }))}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={busy}>
              {t("kpis.save")}
            </Button>
          </Group>
        </Stack>
      </Fieldset>
    </Form>
  );
}
