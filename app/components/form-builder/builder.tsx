import { Alert, Box, Button, Grid, Group, List, Paper, Stack, Tabs, Text } from "@mantine/core";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useOrgFormat } from "~/components/org-format";
import { checkModel } from "~/forms/check-model";
import { formToModel, modelToForm, newField } from "~/forms/fields";
import type { BuilderModel, FieldNode, FormVersionJson, Lang } from "~/forms/model";
import { walkFields } from "~/forms/model";
import { canContain, dependents, duplicateField, insertField, locate, moveField, removeField, shiftField, updateField, withFields } from "~/forms/model-ops";
import { problemFieldPath } from "~/forms/problem-paths";
import { Canvas, type CanvasActions } from "./canvas";
import { DeleteDialog } from "./delete-dialog";
import { DragProvider } from "./dnd";
import { FormSettings } from "./form-settings";
import { JsonView, parseJsonTexts, partError, toJsonTexts, type JsonErrors, type JsonPart, type JsonTexts } from "./json-view";
import { fieldName } from "./labels";
import { Palette } from "./palette";
import { Preview } from "./preview";
import { PropertiesPanel, type PanelProblem } from "./properties-panel";
import { PublishDialog } from "./publish-dialog";
import { Toolbar } from "./toolbar";
import { useAutosave, type ServerProblem } from "./use-autosave";
import { useBackupOffer } from "./use-backup-offer";
import { useBuilder, useUndoKeys } from "./use-builder";

interface Props {
  formId: string;
  saveUrl: string;
  initial: FormVersionJson;
  lockVersion: number;
  readOnly: boolean;
}

type Tab = "design" | "preview" | "json";

// Palette and settings stay in view beside a long form, each scrolling on its own.
const STICKY = { position: "sticky", top: 70, maxHeight: "calc(100vh - 90px)", overflowY: "auto" } as const;

export function FormBuilder({ formId, saveUrl, initial, lockVersion, readOnly }: Props) {
  const { t, i18n } = useTranslation("forms");
  const lang: Lang = i18n.language === "en" ? "en" : "ar";
  const fmt = useOrgFormat();
  const [initialModel] = useState(() => formToModel(initial));
  const { state, edit, undo, redo, select, canUndo, canRedo } = useBuilder(initialModel);
  const { model, selectedId } = state;
  const form = useMemo(() => modelToForm(model), [model]);
  const content = useCallback(() => form, [form]);
  const [publishing, setPublishing] = useState(false);
  // While the publish dialog is open nothing else saves: publishing sends what is on screen
  // itself, and an autosave landing in between would move the lock version under it (the
  // publish would then be refused as someone else's change).
  const saver = useAutosave({ url: saveUrl, formId, initialLock: lockVersion, revision: state.revision, content, enabled: !readOnly && !publishing });
  const backup = useBackupOffer(formId, initial, (restored) => edit(() => restored, { select: null }));
  const [tab, setTab] = useState<Tab>(readOnly ? "preview" : "design");
  const [json, setJson] = useState<{ texts: JsonTexts; errors: JsonErrors; part: JsonPart; dirty: boolean } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [publishProblems, setPublishProblems] = useState<ServerProblem[]>([]);
  useUndoKeys(undo, redo, tab !== "json" && !readOnly);

  // Problems by field: the builder's own, then the server's (mapped from JSON pointers).
  const localProblems = useMemo(() => checkModel(model), [model]);
  const paths = useMemo(() => {
    const byPath = new Map<string, string>();
    walkFields(model.fields, (n, p) => byPath.set(p, n.id));
    return byPath;
  }, [model]);
  const serverProblems = publishProblems.length ? publishProblems : saver.problems;
  const { byNode, general } = useMemo(() => {
    const map = new Map<string, PanelProblem[]>();
    const rest: ServerProblem[] = [];
    const add = (id: string, p: PanelProblem) => map.set(id, [...(map.get(id) ?? []), p]);
    for (const p of localProblems) add(p.nodeId, { text: t(`builder.problems.${p.code}`, p.params), severity: "error", aboutKey: p.code.startsWith("key") });
    for (const p of serverProblems) {
      const id = paths.get(problemFieldPath(p.path, paths.keys()));
      if (id) add(id, { text: p.text, severity: p.severity });
      else rest.push(p);
    }
    return { byNode: map, general: rest };
  }, [localProblems, serverProblems, paths, t]);

  const selected = selectedId ? locate(model.fields, selectedId) : null;
  const patchFields = (fn: (fields: FieldNode[]) => FieldNode[], options?: { select?: string | null; coalesce?: string }) => edit((m) => withFields(m, fn(m.fields)), options);

  const addField = (type: FieldNode["type"]) => {
    const target = selected?.node.children && canContain(selected.node, type) ? selected.node : null;
    const node = newField(type, []);
    patchFields((f) => insertField(f, node, target?.id ?? null), { select: node.id });
  };
  const actions: CanvasActions = {
    select: (id) => select(id === selectedId ? null : id),
    drop: (payload, parentId, index) => {
      if (payload.kind === "new") {
        const node = newField(payload.type, []);
        patchFields((f) => insertField(f, node, parentId, index), { select: node.id });
      } else patchFields((f) => moveField(f, payload.id, parentId, index));
    },
    shift: (id, delta) => patchFields((f) => shiftField(f, id, delta)),
    duplicate: (id) => {
      let copy: string | null = null;
      patchFields((f) => {
        const r = duplicateField(f, id);
        copy = r.id;
        return r.fields;
      });
      if (copy) select(copy);
    },
    remove: (id) => setDeleting(id),
  };
  const deletingNode = deleting ? locate(model.fields, deleting) : null;
  const deletingDependents = deletingNode ? dependents(model.fields, deletingNode.path).filter((n) => n.id !== deleting && !locate([deletingNode.node], n.id)) : [];
  const confirmDelete = () => {
    if (!deletingNode) return;
    const gone = deletingNode.path;
    const hits = (field: string) => field === gone || field.startsWith(`${gone}.`);
    patchFields(
      (f) => {
        let next = removeField(f, deletingNode.node.id);
        // Conditions on the deleted field would test nothing: they go with it.
        for (const d of deletingDependents)
          next = updateField(next, d.id, (n) => {
            const out = { ...n };
            if (out.visibleWhen && hits(out.visibleWhen.field)) delete out.visibleWhen;
            if (typeof out.required === "object" && hits(out.required.field)) out.required = false;
            return out;
          });
        return next;
      },
      { select: null },
    );
    setDeleting(null);
  };

  const changeTab = (next: Tab) => {
    if (next === tab) return;
    if (tab === "json" && json?.dirty) {
      const parsed = parseJsonTexts(json.texts);
      if (!parsed.ok) {
        const errors = Object.fromEntries(Object.entries(parsed.errors).map(([p, e]) => [p, t(e.key, { detail: e.detail })]));
        setJson({ ...json, errors });
        return;
      }
      edit(() => parsed.model, { select: null });
    }
    setJson(next === "json" ? { texts: toJsonTexts(form), errors: {}, part: "schema", dirty: false } : null);
    setTab(next);
  };
  const changePart = (part: JsonPart) => {
    if (!json) return;
    const e = partError(json.texts[json.part]);
    if (e) setJson({ ...json, errors: { ...json.errors, [json.part]: t(e.key, { detail: e.detail }) } });
    else setJson({ ...json, part, errors: { ...json.errors, [json.part]: undefined } });
  };

  return (
    <DragProvider>
      <Stack gap="sm">
        <Toolbar
          canUndo={canUndo}
          canRedo={canRedo}
          undo={undo}
          redo={redo}
          status={saver.status}
          savedAt={saver.savedAt}
          save={saver.saveNow}
          publish={() => setPublishing(true)}
          readOnly={readOnly}
        />
        {backup.offer ? (
          <Alert color="blue" title={t("builder.backup.title")}>
            <Group gap="xs">
              <Text size="sm">{t("builder.backup.body", { time: fmt.dateTime(backup.offer.at) })}</Text>
              <Button size="xs" onClick={backup.restore} data-testid="backup-restore">
                {t("builder.backup.restore")}
              </Button>
              <Button size="xs" variant="default" onClick={backup.discard}>
                {t("builder.backup.discard")}
              </Button>
            </Group>
          </Alert>
        ) : null}
        {saver.conflict ? (
          <Alert color="orange" role="alert" title={t("builder.conflict.title")}>
            <Text size="sm">{t("builder.conflict.body", { time: fmt.dateTime(saver.conflict.updatedAt) })}</Text>
            <Group gap="xs" mt="xs">
              <Button size="xs" variant="default" onClick={() => window.location.reload()}>
                {t("builder.conflict.reload")}
              </Button>
              <Button size="xs" color="orange" onClick={saver.overwrite}>
                {t("builder.conflict.overwrite")}
              </Button>
            </Group>
          </Alert>
        ) : null}
        {general.length ? (
          <Alert color={general.some((p) => p.severity === "error") ? "red" : "yellow"} title={t("builder.problems.title")} data-testid="form-problems">
            <List size="sm">
              {general.slice(0, 10).map((p, i) => (
                <List.Item key={i}>{p.text}</List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        <Tabs value={tab} onChange={(v) => v && changeTab(v as Tab)} keepMounted={false}>
          <Tabs.List>
            {!readOnly ? <Tabs.Tab value="design">{t("builder.tabs.design")}</Tabs.Tab> : null}
            <Tabs.Tab value="preview" data-testid="tab-preview">
              {t("builder.tabs.preview")}
            </Tabs.Tab>
            <Tabs.Tab value="json" data-testid="tab-json">
              {t("builder.tabs.json")}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="design" pt="sm">
            <Grid gutter="md">
              <Grid.Col span={{ base: 12, md: 3, lg: 2 }}>
                <Box style={STICKY}>
                  <Palette onAdd={addField} target={selected?.node.children ? fieldName(selected.node, lang) : null} />
                </Box>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 9, lg: 6 }}>
                <Canvas fields={model.fields} selectedId={selectedId} problemCount={(id) => (byNode.get(id) ?? []).filter((p) => p.severity === "error").length} actions={actions} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, lg: 4 }}>
                <Paper withBorder p="sm" radius="md" style={STICKY}>
                  {selected ? (
                    <PropertiesPanel
                      key={selected.node.id}
                      root={model.fields}
                      node={selected.node}
                      problems={byNode.get(selected.node.id) ?? []}
                      patch={(fn, coalesce) => patchFields((f) => updateField(f, selected.node.id, fn), { coalesce })}
                      moveTo={(parentId) => patchFields((f) => moveField(f, selected.node.id, parentId, Number.MAX_SAFE_INTEGER))}
                    />
                  ) : (
                    <FormSettings model={model} onChange={(p, coalesce) => edit((m: BuilderModel) => ({ ...m, ...p }), { coalesce })} />
                  )}
                </Paper>
              </Grid.Col>
            </Grid>
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="sm">
            <Preview form={form} />
          </Tabs.Panel>
          <Tabs.Panel value="json" pt="sm">
            {json ? (
              <JsonView
                texts={json.texts}
                errors={json.errors}
                part={json.part}
                onPart={changePart}
                readOnly={readOnly}
                onChange={(part, text) => setJson({ ...json, texts: { ...json.texts, [part]: text }, dirty: true })}
              />
            ) : null}
          </Tabs.Panel>
        </Tabs>
        <Box>
          <DeleteDialog
            name={deletingNode ? fieldName(deletingNode.node, lang) : null}
            dependents={deletingDependents.map((n) => fieldName(n, lang))}
            separator={lang === "ar" ? "، " : ", "}
            onConfirm={confirmDelete}
            onClose={() => setDeleting(null)}
          />
          <PublishDialog
            opened={publishing}
            onClose={() => setPublishing(false)}
            content={content}
            lockVersion={saver.lockVersion}
            localProblems={localProblems.length}
            onProblems={setPublishProblems}
            busy={saver.status === "saving"}
          />
        </Box>
      </Stack>
    </DragProvider>
  );
}
