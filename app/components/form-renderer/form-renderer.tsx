// <FormRenderer>: a published form version (JSON Schema + uiSchema + translations) as a
// Mantine form in the user's language, right-to-left in Arabic, with Masar's widgets,
// conditional fields, a linked error summary and the browser's convenience validation.
// The caller owns the data (autosave) and the submit (the server validates); errors the
// server returns come back through `errors` and are shown next to their fields.
import { Button, Group, Stack } from "@mantine/core";
import { withTheme, type IChangeEvent } from "@rjsf/core";
// Single widgets rather than the theme's index: that one also loads the date widgets,
// whose dayjs import Node cannot resolve when the page is rendered on the server.
import CheckboxesWidget from "@rjsf/mantine/lib/widgets/CheckboxesWidget.js";
import CheckboxWidget from "@rjsf/mantine/lib/widgets/CheckboxWidget.js";
import RadioWidget from "@rjsf/mantine/lib/widgets/RadioWidget.js";
import SelectWidget from "@rjsf/mantine/lib/widgets/SelectWidget.js";
import TextareaWidget from "@rjsf/mantine/lib/widgets/TextareaWidget.js";
import {
  englishStringTranslator,
  replaceStringParameters,
  toPath,
  TranslatableString,
  type ErrorSchema,
  type RegistryWidgetsType,
  type RJSFSchema,
  type RJSFValidationError,
} from "@rjsf/utils";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { localiseSchema } from "~/forms/localise";
import { loadValidatorFunctions, MasarValidator } from "./client-validator";
import type { FileInfo, RendererContext } from "./context";
import { ErrorSummary } from "./error-summary";
import { changedPaths, parseErrorPath, related, schemaAt, sortByFormOrder, toErrorTree, toPointer, type FieldError } from "./errors";
import { MasarFilesWidget, MasarFileWidget } from "./file-widgets";
import { templates } from "./templates";
import { hiddenPaths, isHiddenPath, stripHidden, visibilityRules, type InstancePath } from "./visibility";
import {
  AcknowledgementWidget,
  ComputedWidget,
  CurrencyWidget,
  MasarDateTimeWidget,
  MasarDateWidget,
  PhoneWidget,
  RatingWidget,
  YesNoWidget,
} from "./widgets";

export interface RenderableVersion {
  id: string;
  schema: unknown;
  uiSchema?: unknown;
  translations?: { ar?: Record<string, string>; en?: Record<string, string> } | null;
}

export type FormData = Record<string, unknown>;

/** Answers posted as JSON (a refused submit coming back), or null when absent or not an object. */
export function parseAnswers(json: string | null | undefined): FormData | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as FormData) : null;
  } catch {
    return null;
  }
}

export interface FormRendererProps {
  version: RenderableVersion;
  locale: "ar" | "en";
  data: FormData;
  /** `user` is false when rjsf filled in defaults (empty table rows…) rather than the person. */
  onChange?: (data: FormData, change: { user: boolean }) => void;
  /** Called with the data as it should be sent: hidden fields' values removed. */
  onSubmit?: (data: FormData) => void;
  /** Field errors from the server (in the user's language). */
  errors?: FieldError[];
  disabled?: boolean;
  submitting?: boolean;
  submitLabel?: string;
  /** Names and sizes of files already referenced by `data` (drafts, earlier uploads). */
  files?: Record<string, FileInfo>;
  /** Where the precompiled browser validator lives; null turns browser validation off. */
  validatorUrl?: string | null;
  idPrefix?: string;
  /** Extra actions shown beside the submit button. */
  actions?: ReactNode;
}

const widgets: RegistryWidgetsType = {
  CheckboxesWidget,
  CheckboxWidget,
  RadioWidget,
  SelectWidget,
  TextareaWidget,
  masarDate: MasarDateWidget,
  masarDateTime: MasarDateTimeWidget,
  currency: CurrencyWidget,
  phone: PhoneWidget,
  rating: RatingWidget,
  yesNo: YesNoWidget,
  acknowledgement: AcknowledgementWidget,
  masarFile: MasarFileWidget,
  masarFiles: MasarFilesWidget,
  computed: ComputedWidget,
};

const Form = withTheme({ templates, widgets });

const STRING_KEYS = Object.fromEntries(Object.entries(TranslatableString).map(([key, value]) => [value, key])) as Record<string, string>;

export function validatorUrlFor(orgSlug: string, versionId: string, locale: "ar" | "en"): string {
  return `/app/${encodeURIComponent(orgSlug)}/forms/versions/${encodeURIComponent(versionId)}/validator?lang=${locale}`;
}

export function FormRenderer(props: FormRendererProps) {
  const { version, locale, data, errors: serverErrors = [], idPrefix = "form" } = props;
  const { t } = useTranslation("forms");
  const orgSlug = useParams().org ?? "";
  const { schema, uiSchema } = useMemo(
    () => localiseSchema({ schema: version.schema, uiSchema: version.uiSchema, translations: version.translations ?? undefined }, locale),
    [version.schema, version.uiSchema, version.translations, locale],
  );
  const rjsfSchema = schema as RJSFSchema;
  const rules = useMemo(() => visibilityRules(uiSchema), [uiSchema]);
  const hidden = useMemo(() => hiddenPaths(rules, data), [rules, data]);

  // Browser validation: a stand-in until the precompiled module for this version arrives.
  const url = props.validatorUrl === undefined ? validatorUrlFor(orgSlug, version.id, locale) : props.validatorUrl;
  const [validator, setValidator] = useState(() => new MasarValidator(null, rjsfSchema, locale));
  useEffect(() => {
    let live = true;
    setValidator(new MasarValidator(null, rjsfSchema, locale));
    if (!url) return;
    void loadValidatorFunctions(url).then((fns) => {
      if (live && fns) setValidator(new MasarValidator(fns, rjsfSchema, locale));
    });
    return () => {
      live = false;
    };
  }, [url, rjsfSchema, locale]);

  // Files uploaded in this session, on top of those the page already knew.
  const [uploaded, setUploaded] = useState<Record<string, FileInfo>>({});
  const files = useMemo(() => ({ ...props.files, ...uploaded }), [props.files, uploaded]);
  const rememberFile = useCallback((info: FileInfo) => setUploaded((m) => ({ ...m, [info.id]: info })), []);
  const formContext = useMemo<RendererContext>(
    () => ({ hidden, locale, orgSlug, files, rememberFile }),
    [hidden, locale, orgSlug, files, rememberFile],
  );

  // Which fields the user has changed: their browser errors show as they type. Server
  // errors stay until the field they are about is changed.
  const [touched, setTouched] = useState<InstancePath[]>([]);
  const [dismissed, setDismissed] = useState<{ for: FieldError[]; paths: InstancePath[] }>({ for: serverErrors, paths: [] });
  const dataRef = useRef(data);
  dataRef.current = data;

  const clientErrors = useMemo(() => {
    if (!validator.ready) return [];
    const result = validator.validateFormData(stripHidden(data, rules), rjsfSchema);
    // "if" only says that a "then" failed; the failure itself is reported on its field.
    return result.errors.filter((e) => e.name !== "if").map((e) => fromRjsfError(e, schema));
  }, [validator, data, rules, rjsfSchema, schema]);

  const shownErrors = useMemo(() => {
    const dismissedPaths = dismissed.for === serverErrors ? dismissed.paths : [];
    const server = serverErrors.filter((e) => !dismissedPaths.some((p) => related(p, parseErrorPath(e.path))));
    const serverPaths = server.map((e) => parseErrorPath(e.path));
    const client = clientErrors.filter((e) => {
      const p = parseErrorPath(e.path);
      return touched.some((tp) => related(tp, p)) && !serverPaths.some((sp) => related(sp, p) && sp.length >= p.length);
    });
    const all = [...server, ...client].filter((e) => !isHiddenPath(hidden, parseErrorPath(e.path)));
    return sortByFormOrder(all, schema, uiSchema);
  }, [serverErrors, dismissed, clientErrors, touched, hidden, schema, uiSchema]);
  const extraErrors = useMemo(() => toErrorTree(shownErrors) as ErrorSchema, [shownErrors]);

  // A failed submit: move focus to the summary so it is read out and can be followed.
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (serverErrors.length > 0) summaryRef.current?.focus();
  }, [serverErrors]);

  const { onChange: notify, onSubmit } = props;
  const handleChange = useCallback(
    (event: IChangeEvent, id?: string) => {
      const next = (event.formData ?? {}) as FormData;
      // rjsf reports filled-in defaults without an id: not the user's doing.
      if (id !== undefined) {
        const changed = changedPaths(dataRef.current, next);
        if (changed.length > 0) {
          setTouched((list) => [...list, ...changed]);
          setDismissed((d) => ({ for: serverErrors, paths: d.for === serverErrors ? [...d.paths, ...changed] : changed }));
        }
      }
      dataRef.current = next;
      notify?.(next, { user: id !== undefined });
    },
    [notify, serverErrors],
  );

  const translateString = useCallback(
    (str: TranslatableString, params?: string[]) => {
      const key = STRING_KEYS[str];
      const text = key ? t(`fill.rjsf.${key}`, { defaultValue: "" }) : "";
      return text ? replaceStringParameters(text, params) : englishStringTranslator(str, params);
    },
    [t],
  );

  return (
    <Stack gap="md" className="masar-form" data-testid="form-renderer">
      {serverErrors.length > 0 ? <ErrorSummary ref={summaryRef} errors={shownErrors} schema={schema} idPrefix={idPrefix} /> : null}
      <Form
        schema={rjsfSchema}
        uiSchema={uiSchema}
        formData={data}
        validator={validator}
        formContext={formContext}
        idPrefix={idPrefix}
        disabled={props.disabled}
        noValidate
        noHtml5Validate
        showErrorList={false}
        extraErrors={extraErrors}
        translateString={translateString}
        // Unanswered stays unanswered: no pre-ticked acknowledgement (const true), and no
        // "false" filled into a required yes/no the person has not answered.
        experimental_defaultFormStateBehavior={{ constAsDefaults: "never", requiredBooleanDefault: "skip" }}
        onChange={handleChange}
        onSubmit={(event) => onSubmit?.(stripHidden((event.formData ?? {}) as FormData, rules))}
      >
        <Group mt="lg" gap="sm">
          {onSubmit ? (
            <Button type="submit" loading={props.submitting} disabled={props.disabled}>
              {props.submitLabel ?? t("fill.submit")}
            </Button>
          ) : null}
          {props.actions}
        </Group>
      </Form>
    </Stack>
  );
}

/** A browser validation error as a field error, with the form's own message if it has one. */
function fromRjsfError(error: RJSFValidationError, schema: unknown): FieldError {
  const path = toPath(error.property ?? "").map((p) => (/^\d+$/.test(p) ? Number(p) : p)) as InstancePath;
  const overrides = schemaAt(schema, path)?.["x-masar-errors"] as Record<string, unknown> | undefined;
  const override = error.name && overrides && typeof overrides[error.name] === "string" ? (overrides[error.name] as string) : undefined;
  return { path: toPointer(path), message: override ?? error.message ?? "" };
}
