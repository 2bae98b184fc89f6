// Masar's own rjsf widgets (names fixed by the forms conventions): dates in the
// organisation's calendar, currency, phone, rating, yes/no, acknowledgement, computed.
// Each shows its label, description and errors itself, like the Mantine theme's widgets.
import { Checkbox, Group, Input, NumberInput, Radio, Rating, Stack, Text, TextInput, UnstyledButton } from "@mantine/core";
import type { WidgetProps } from "@rjsf/utils";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { formatCalendarDate, formatInstant, ISO_DATE, isoToZonedLocal, zonedLocalToIso, zoneName } from "./dates";
import { PART_SEPARATOR } from "~/utils/format";

const errorText = (props: WidgetProps) => (props.rawErrors && props.rawErrors.length > 0 ? props.rawErrors.join("\n") : undefined);
const descriptionOf = (props: WidgetProps) => (props.options.description as string | undefined) || props.schema.description || undefined;
const labelOf = (props: WidgetProps) => (props.hideLabel ? undefined : props.label || undefined);

/** Arabic-Indic and Persian digits typed on an Arabic keyboard, as the Latin digits patterns expect. */
export function latinDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

export function MasarDateWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, required, disabled, readonly } = props;
  const { prefs } = useOrgFormat();
  const iso = typeof value === "string" ? value : "";
  const shown = ISO_DATE.test(iso) ? formatCalendarDate(iso, prefs) : null;
  return (
    <TextInput
      id={id}
      name={props.htmlName || id}
      type="date"
      dir="ltr"
      label={labelOf(props)}
      description={descriptionOf(props)}
      required={required}
      disabled={disabled || readonly}
      value={iso}
      error={errorText(props)}
      onChange={(e) => onChange(e.currentTarget.value === "" ? undefined : e.currentTarget.value)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
      aria-describedby={shown ? `${id}__calendar` : undefined}
      inputContainer={(children) => (
        <Group gap="sm" wrap="wrap" align="center">
          <div style={{ flex: "0 1 14rem" }}>{children}</div>
          {shown ? (
            <Text id={`${id}__calendar`} size="sm" c="dimmed" data-testid="calendar-date">
              {shown}
            </Text>
          ) : null}
        </Group>
      )}
    />
  );
}

export function MasarDateTimeWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, required, disabled, readonly } = props;
  const { t, i18n } = useTranslation("forms");
  const { prefs } = useOrgFormat();
  const iso = typeof value === "string" ? value : "";
  const local = iso ? isoToZonedLocal(iso, prefs.timeZone) : "";
  const shown = iso ? formatInstant(iso, prefs) : null;
  return (
    <TextInput
      id={id}
      name={props.htmlName || id}
      type="datetime-local"
      dir="ltr"
      label={labelOf(props)}
      description={[descriptionOf(props), t("fill.widgets.timeZone", { zone: zoneName(prefs.timeZone, i18n.language === "en" ? "en" : "ar") })].filter(Boolean).join(PART_SEPARATOR)}
      required={required}
      disabled={disabled || readonly}
      value={local}
      error={errorText(props)}
      onChange={(e) => {
        const next = e.currentTarget.value;
        onChange(next === "" ? undefined : (zonedLocalToIso(next, prefs.timeZone) ?? undefined));
      }}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
      aria-describedby={shown ? `${id}__calendar` : undefined}
      inputContainer={(children) => (
        <Group gap="sm" wrap="wrap" align="center">
          <div style={{ flex: "0 1 16rem" }}>{children}</div>
          {shown ? (
            <Text id={`${id}__calendar`} size="sm" c="dimmed">
              {shown}
            </Text>
          ) : null}
        </Group>
      )}
    />
  );
}

function currencySymbol(code: string, locale: "ar" | "en"): string {
  try {
    const parts = new Intl.NumberFormat(locale === "ar" ? "ar-SA" : "en-GB", { style: "currency", currency: code }).formatToParts(0);
    return parts.find((p) => p.type === "currency")?.value ?? code;
  } catch {
    return code;
  }
}

export function CurrencyWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, required, disabled, readonly, schema } = props;
  const { i18n } = useTranslation();
  const code = typeof schema["x-masar-currency"] === "string" ? (schema["x-masar-currency"] as string) : "SAR";
  const symbol = currencySymbol(code, i18n.language === "en" ? "en" : "ar");
  return (
    <NumberInput
      id={id}
      name={props.htmlName || id}
      dir="ltr"
      label={labelOf(props)}
      description={descriptionOf(props)}
      placeholder={props.placeholder}
      required={required}
      disabled={disabled || readonly}
      value={typeof value === "number" ? value : ""}
      decimalScale={2}
      thousandSeparator=","
      min={typeof schema.minimum === "number" ? schema.minimum : undefined}
      max={typeof schema.maximum === "number" ? schema.maximum : undefined}
      hideControls
      rightSection={<Text size="sm">{symbol}</Text>}
      rightSectionWidth={64}
      rightSectionPointerEvents="none"
      error={errorText(props)}
      onChange={(next) => onChange(typeof next === "number" ? next : next === "" ? undefined : Number(latinDigits(String(next))))}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}

export function PhoneWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, required, disabled, readonly } = props;
  return (
    <TextInput
      id={id}
      name={props.htmlName || id}
      type="tel"
      dir="ltr"
      inputMode="tel"
      autoComplete="tel"
      label={labelOf(props)}
      description={descriptionOf(props)}
      placeholder={props.placeholder}
      required={required}
      disabled={disabled || readonly}
      value={typeof value === "string" ? value : ""}
      error={errorText(props)}
      onChange={(e) => onChange(e.currentTarget.value === "" ? undefined : latinDigits(e.currentTarget.value))}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}

/** 1–5 stars as a radio group: arrow keys move, Space/Enter choose, each star is named. */
export function RatingWidget(props: WidgetProps) {
  const { id, value, onChange, required, disabled, readonly } = props;
  const { t } = useTranslation("forms");
  const { number } = useOrgFormat();
  const labelId = useId();
  const max = typeof props.schema.maximum === "number" ? props.schema.maximum : 5;
  const current = typeof value === "number" ? value : 0;
  const error = errorText(props);
  return (
    <Input.Wrapper label={labelOf(props)} labelElement="div" id={labelId} required={required} description={descriptionOf(props)} error={error}>
      <Group gap="sm" mt={4} align="center">
        <Rating
          id={id}
          role="radiogroup"
          aria-labelledby={`${labelId}-label`}
          aria-invalid={error ? true : undefined}
          count={max}
          size="lg"
          value={current}
          readOnly={disabled || readonly}
          onChange={(next) => onChange(next)}
          getSymbolLabel={(n) => t("fill.widgets.ratingOf", { value: number(n), max: number(max) })}
        />
        <Text size="sm" aria-live="polite">
          {current > 0 ? t("fill.widgets.ratingOf", { value: number(current), max: number(max) }) : t("fill.widgets.ratingNone")}
        </Text>
        {current > 0 && !required && !(disabled || readonly) ? (
          <UnstyledButton type="button" fz="sm" td="underline" onClick={() => onChange(undefined)}>
            {t("fill.widgets.clearRating")}
          </UnstyledButton>
        ) : null}
      </Group>
    </Input.Wrapper>
  );
}

export function YesNoWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, required, disabled, readonly } = props;
  const { t } = useTranslation("forms");
  const selected = value === true ? "yes" : value === false ? "no" : null;
  return (
    <Radio.Group
      id={id}
      name={props.htmlName || id}
      label={labelOf(props)}
      description={descriptionOf(props)}
      required={required}
      value={selected}
      error={errorText(props)}
      onChange={(next) => onChange(next === "yes")}
    >
      <Group mt="xs" gap="lg">
        {(["yes", "no"] as const).map((option) => (
          <Radio
            key={option}
            id={`${id}-${option}`}
            value={option}
            label={t(`fill.widgets.${option}`)}
            disabled={disabled || readonly}
            onBlur={() => onBlur(id, value)}
            onFocus={() => onFocus(id, value)}
          />
        ))}
      </Group>
    </Radio.Group>
  );
}

/** "I confirm the data is correct": must be ticked; unticked is no value at all. */
export function AcknowledgementWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, required, disabled, readonly } = props;
  const { t } = useTranslation("forms");
  return (
    <Stack gap={4}>
      <Checkbox
        id={id}
        name={props.htmlName || id}
        label={props.label || t("fill.widgets.acknowledgementDefault")}
        description={descriptionOf(props)}
        required={required}
        checked={value === true}
        disabled={disabled || readonly}
        error={errorText(props)}
        onChange={(e) => onChange(e.currentTarget.checked ? true : undefined)}
        onBlur={() => onBlur(id, value)}
        onFocus={() => onFocus(id, value)}
      />
    </Stack>
  );
}

/** The server evaluates computed fields on submission; the browser only says so. */
export function ComputedWidget(props: WidgetProps) {
  const { id, value } = props;
  const { t } = useTranslation("forms");
  const { number } = useOrgFormat();
  const shown = typeof value === "number" ? number(value) : typeof value === "string" && value !== "" ? value : t("fill.widgets.computedPending");
  return (
    <TextInput
      id={id}
      label={labelOf(props)}
      description={descriptionOf(props) ?? t("fill.widgets.computedHint")}
      value={shown}
      readOnly
      variant="filled"
      data-testid="computed-value"
    />
  );
}
