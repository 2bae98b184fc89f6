// masarFile / masarFiles: upload to the organisation's file store as soon as a file is
// chosen, keep only the stored id(s) in the form data, show name, size and progress, and
// let the user remove a file. Size and type are checked here only as a hint; the server
// checks both (type by content) and its answer wins.
import { Alert, Anchor, Button, CloseButton, FileButton, Group, Input, Progress, Stack, Text, VisuallyHidden } from "@mantine/core";
import type { WidgetProps } from "@rjsf/utils";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { useRootData } from "~/root";
import { intlLocale } from "~/utils/format";
import { rendererContext, type FileInfo } from "./context";
import { precheckFile, uploadFile, type UploadError, type UploadHandle } from "./upload";
import { PART_SEPARATOR } from "~/utils/format";

interface FileSpec {
  accept?: string[];
  maxSizeMb?: number;
}

interface Pending {
  key: string;
  name: string;
  progress: number;
  handle: UploadHandle;
}

const TYPE_NAMES: Record<string, string> = {
  "application/pdf": "PDF",
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/webp": "WebP",
  "text/plain": "TXT",
  "text/csv": "CSV",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
};

function specOf(schema: Record<string, unknown>): FileSpec {
  const raw = schema["x-masar-file"];
  if (!raw || typeof raw !== "object") return {};
  const spec = raw as Record<string, unknown>;
  return {
    accept: Array.isArray(spec.accept) ? spec.accept.filter((a): a is string => typeof a === "string") : undefined,
    maxSizeMb: typeof spec.maxSizeMb === "number" ? spec.maxSizeMb : undefined,
  };
}

function useFileSize() {
  const { prefs } = useOrgFormat();
  return (bytes: number) => {
    const [unit, value] = bytes >= 1024 * 1024 ? ["megabyte", bytes / 1024 / 1024] : bytes >= 1024 ? ["kilobyte", bytes / 1024] : ["byte", bytes];
    return new Intl.NumberFormat(intlLocale(prefs), { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: 1 }).format(value);
  };
}

function FilesInput(props: WidgetProps & { multiple: boolean }) {
  const { id, value, onChange, required, disabled, readonly, multiple, registry } = props;
  const { t } = useTranslation("forms");
  const ctx = rendererContext(registry);
  const csrf = useRootData()?.csrf ?? "";
  const formatSize = useFileSize();
  const { number } = useOrgFormat();
  const itemSchema = (multiple ? props.schema.items : props.schema) as Record<string, unknown> | undefined;
  const spec = specOf(itemSchema ?? {});
  const maxItems = multiple && typeof props.schema.maxItems === "number" ? props.schema.maxItems : multiple ? Infinity : 1;
  const ids: string[] = multiple ? (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []) : typeof value === "string" && value ? [value] : [];
  const [pending, setPending] = useState<Pending[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  // Uploads finish after renders: read the newest value, not the one captured at start.
  const idsRef = useRef(ids);
  idsRef.current = ids;
  const pendingRef = useRef(pending);
  pendingRef.current = pending;
  useEffect(() => () => pendingRef.current.forEach((p) => p.handle.abort()), []);

  const locked = disabled || readonly;
  const room = maxItems - ids.length - pending.length;

  function describeError(error: UploadError, file: File): string {
    if (error.status === -1) return t("fill.files.cancelled", { name: file.name });
    if (error.message) return error.message;
    if (error.status === 0) return t("fill.files.networkError", { name: file.name });
    if (error.status === 413) return t("fill.files.tooLarge", { name: file.name, max: number(spec.maxSizeMb ?? 0) });
    if (error.status === 415) return t("fill.files.badType", { name: file.name });
    return t("fill.files.failed", { name: file.name });
  }

  function start(files: File[]) {
    setProblem(null);
    const chosen = files.slice(0, Math.max(0, room));
    if (files.length > chosen.length) setProblem(t("fill.files.tooMany", { max: number(maxItems) }));
    for (const file of chosen) {
      const hint = precheckFile(file, spec.accept, spec.maxSizeMb);
      if (hint) {
        setProblem(hint === "tooLarge" ? t("fill.files.tooLarge", { name: file.name, max: number(spec.maxSizeMb ?? 0) }) : t("fill.files.badType", { name: file.name }));
        continue;
      }
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      const handle = uploadFile(ctx.orgSlug, file, csrf, (fraction) =>
        setPending((list) => list.map((p) => (p.key === key ? { ...p, progress: fraction } : p))),
      );
      setPending((list) => [...list, { key, name: file.name, progress: 0, handle }]);
      handle.promise
        .then((info: FileInfo) => {
          ctx.rememberFile(info);
          const next = multiple ? [...idsRef.current, info.id] : info.id;
          idsRef.current = multiple ? (next as string[]) : [info.id];
          onChange(next);
          setAnnouncement(t("fill.files.uploaded", { name: info.filename }));
        })
        .catch((error: UploadError) => setProblem(describeError(error, file)))
        .finally(() => setPending((list) => list.filter((p) => p.key !== key)));
    }
  }

  function remove(fileId: string) {
    const next = idsRef.current.filter((x) => x !== fileId);
    idsRef.current = next;
    onChange(multiple ? (next.length > 0 ? next : undefined) : undefined);
    const name = ctx.files[fileId]?.filename ?? "";
    setAnnouncement(t("fill.files.removed", { name }));
  }

  const typesHint =
    spec.accept && spec.accept.length > 0
      ? spec.accept.map((a) => TYPE_NAMES[a] ?? a.split("/").pop()?.toUpperCase() ?? a).join(t("fill.separator"))
      : null;
  const hint = [
    typesHint ? t("fill.files.types", { types: typesHint }) : null,
    spec.maxSizeMb ? t("fill.files.maxSize", { size: formatSize(spec.maxSizeMb * 1024 * 1024) }) : null,
    multiple && Number.isFinite(maxItems) ? t("fill.files.maxCount", { count: maxItems, n: number(maxItems) }) : null,
  ]
    .filter(Boolean)
    .join(PART_SEPARATOR);
  const description = [(props.options.description as string | undefined) || props.schema.description, hint].filter(Boolean).join(" — ");
  const error = props.rawErrors && props.rawErrors.length > 0 ? props.rawErrors.join("\n") : undefined;
  const href = (fileId: string) => `/app/${encodeURIComponent(ctx.orgSlug)}/files/${encodeURIComponent(fileId)}`;

  return (
    <Input.Wrapper label={props.hideLabel ? undefined : props.label} labelElement="div" required={required} description={description || undefined} error={error} id={`${id}__wrapper`}>
      <Stack gap="xs" mt={6}>
        {ids.length > 0 ? (
          <Stack gap={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("fill.files.listLabel")}>
            {ids.map((fileId) => {
              const info = ctx.files[fileId];
              return (
                <Group key={fileId} component="li" gap="xs" wrap="nowrap" data-testid="uploaded-file">
                  {/* File names read left to right (the extension last), even Arabic ones. */}
                  <Anchor href={href(fileId)} size="sm" dir="ltr" style={{ overflowWrap: "anywhere", minWidth: 0 }} download>
                    {info?.filename ?? t("fill.files.attached")}
                  </Anchor>
                  {info ? (
                    <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                      {formatSize(info.size)}
                    </Text>
                  ) : null}
                  {locked ? null : <CloseButton size="sm" aria-label={t("fill.files.remove", { name: info?.filename ?? "" })} onClick={() => remove(fileId)} />}
                </Group>
              );
            })}
          </Stack>
        ) : null}
        {pending.map((p) => (
          <Group key={p.key} gap="xs" wrap="nowrap">
            <Text size="sm" style={{ overflowWrap: "anywhere" }}>
              {p.name}
            </Text>
            <Progress value={Math.round(p.progress * 100)} style={{ flex: 1 }} aria-label={t("fill.files.uploading", { name: p.name })} />
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => p.handle.abort()}>
              {t("fill.files.cancel")}
            </Button>
          </Group>
        ))}
        {!locked && room > 0 ? (
          <FileButton onChange={(f) => start(Array.isArray(f) ? f : f ? [f] : [])} accept={spec.accept?.join(",")} multiple={multiple}>
            {(buttonProps) => (
              <Button
                {...buttonProps}
                id={id}
                variant="light"
                size="sm"
                style={{ alignSelf: "flex-start" }}
                aria-invalid={error ? true : undefined}
                aria-describedby={description ? `${id}__wrapper-description` : undefined}
              >
                {multiple ? t("fill.files.chooseMany") : t("fill.files.choose")}
              </Button>
            )}
          </FileButton>
        ) : null}
        {problem ? (
          <Alert color="red" variant="light" p="xs" role="alert">
            {problem}
          </Alert>
        ) : null}
        <VisuallyHidden aria-live="polite">{announcement}</VisuallyHidden>
      </Stack>
    </Input.Wrapper>
  );
}

export function MasarFileWidget(props: WidgetProps) {
  return <FilesInput {...props} multiple={false} />;
}

export function MasarFilesWidget(props: WidgetProps) {
  return <FilesInput {...props} multiple />;
}
