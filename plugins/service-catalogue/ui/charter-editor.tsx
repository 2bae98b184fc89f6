import { ActionIcon, Button, Fieldset, Group, Paper, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { CharterContent } from "../charter";
import { splitLines } from "../snapshot";
import { LTR, RTL } from "./service-form";

// The charter's editor: goals (introduction) and values, the provider's commitments grouped
// by axis with their service levels, the customers' obligations and the signature block.
// Lists are typed one item a line and kept as text while editing (so Enter works); the
// content is posted as JSON in one hidden field and validated by the server.

type Both = { ar: string; en: string };
interface EditorCommitment {
  commitment: Both;
  serviceLevels: Both;
}
interface EditorAxis {
  axis: Both;
  commitments: EditorCommitment[];
}
export interface CharterEditorState {
  title: Both;
  introduction: Both;
  values: Both;
  axes: EditorAxis[];
  customerObligations: Both;
  signature: { name: Both; title: Both; date: string };
}

const join = (l: { ar: string[]; en: string[] }): Both => ({
  ar: l.ar.join("\n"),
  en: l.en.join("\n"),
});
const split = (b: Both) => ({ ar: splitLines(b.ar), en: splitLines(b.en) });
const blank = (): Both => ({ ar: "", en: "" });

export function editorState(c: CharterContent): CharterEditorState {
  return {
    title: c.title,
    introduction: c.introduction,
    values: join(c.values),
    axes: c.axes.map((a) => ({
      axis: a.axis,
      commitments: a.commitments.map((m) => ({
        commitment: m.commitment,
        serviceLevels: join(m.serviceLevels),
      })),
    })),
    customerObligations: join(c.customerObligations),
    signature: {
      name: c.signature.name,
      title: c.signature.title,
      date: c.signature.date ?? "",
    },
  };
}

export function contentOf(s: CharterEditorState): CharterContent {
  return {
    title: s.title,
    introduction: s.introduction,
    values: split(s.values),
    axes: s.axes.map((a) => ({
      axis: a.axis,
      commitments: a.commitments.map((m) => ({
        commitment: m.commitment,
        serviceLevels: split(m.serviceLevels),
      })),
    })),
    customerObligations: split(s.customerObligations),
    signature: {
      name: s.signature.name,
      title: s.signature.title,
      date: s.signature.date || null,
    },
  };
}

export function CharterEditor({ initial, onChange }: { initial: CharterEditorState; onChange?: (s: CharterEditorState) => void }) {
  const { t } = useTranslation("service-catalogue");
  const [state, setState] = useState(initial);
  const update = (next: CharterEditorState) => {
    setState(next);
    onChange?.(next);
  };
  // Edits one bilingual value at a path of the state (immutable copy).
  const both = (label: string, value: Both, set: (v: Both) => void, area = false) => {
    const Field = area ? Textarea : TextInput;
    const extra = area ? { autosize: true, minRows: 2 } : {};
    return (
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Field label={t(`${label}Ar`)} value={value.ar} onChange={(e) => set({ ...value, ar: e.currentTarget.value })} {...RTL} {...extra} />
        <Field label={t(`${label}En`)} value={value.en} onChange={(e) => set({ ...value, en: e.currentTarget.value })} {...LTR} {...extra} />
      </SimpleGrid>
    );
  };
  const setAxis = (i: number, axis: EditorAxis) => update({ ...state, axes: state.axes.map((a, j) => (j === i ? axis : a)) });
  return (
    <Stack gap="md">
      <input type="hidden" name="content" value={JSON.stringify(contentOf(state))} />
      {both("charter.docTitle", state.title, (v) => update({ ...state, title: v }))}
      {both("charter.introduction", state.introduction, (v) => update({ ...state, introduction: v }), true)}
      {both("charter.values", state.values, (v) => update({ ...state, values: v }), true)}
      <Text size="xs" c="dimmed">
        {t("charter.linesHelp")}
      </Text>

      <Fieldset legend={t("charter.commitments")}>
        <Stack>
          {state.axes.map((axis, i) => (
            <Paper key={i} withBorder p="sm" data-testid="charter-axis">
              <Stack gap="sm">
                <Group justify="space-between" align="flex-end">
                  <div style={{ flex: 1 }}>{both("charter.axis", axis.axis, (v) => setAxis(i, { ...axis, axis: v }))}</div>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t("charter.removeAxis", { n: i + 1 })}
                    onClick={() =>
                      update({
                        ...state,
                        axes: state.axes.filter((_, j) => j !== i),
                      })
                    }
                  >
                    ×
                  </ActionIcon>
                </Group>
                {axis.commitments.map((c, k) => (
                  <Paper key={k} p="xs" bg="gray.0">
                    <Stack gap="xs">
                      {both(
                        "charter.commitment",
                        c.commitment,
                        (v) =>
                          setAxis(i, {
                            ...axis,
                            commitments: axis.commitments.map((x, y) => (y === k ? { ...x, commitment: v } : x)),
                          }),
                        true,
                      )}
                      {both(
                        "charter.serviceLevels",
                        c.serviceLevels,
                        (v) =>
                          setAxis(i, {
                            ...axis,
                            commitments: axis.commitments.map((x, y) => (y === k ? { ...x, serviceLevels: v } : x)),
                          }),
                        true,
                      )}
                      <Group justify="flex-end">
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          onClick={() =>
                            setAxis(i, {
                              ...axis,
                              commitments: axis.commitments.filter((_, y) => y !== k),
                            })
                          }
                        >
                          {t("charter.removeCommitment")}
                        </Button>
                      </Group>
                    </Stack>
                  </Paper>
                ))}
                <Group>
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() =>
                      setAxis(i, {
                        ...axis,
                        commitments: [...axis.commitments, { commitment: blank(), serviceLevels: blank() }],
                      })
                    }
                  >
                    {t("charter.addCommitment")}
                  </Button>
                </Group>
              </Stack>
            </Paper>
          ))}
          <Group>
            <Button
              size="xs"
              variant="default"
              onClick={() =>
                update({
                  ...state,
                  axes: [
                    ...state.axes,
                    {
                      axis: blank(),
                      commitments: [{ commitment: blank(), serviceLevels: blank() }],
                    },
                  ],
                })
              }
            >
              {t("charter.addAxis")}
            </Button>
          </Group>
        </Stack>
      </Fieldset>

      <Fieldset legend={t("charter.obligations")}>{both("charter.obligations", state.customerObligations, (v) => update({ ...state, customerObligations: v }), true)}</Fieldset>

      <Fieldset legend={t("charter.signature")}>
        <Stack gap="sm">
          {both("charter.signatory", state.signature.name, (v) => update({ ...state, signature: { ...state.signature, name: v } }))}
          {both("charter.signatoryTitle", state.signature.title, (v) => update({ ...state, signature: { ...state.signature, title: v } }))}
          <TextInput
            type="date"
            label={t("charter.date")}
            value={state.signature.date}
            onChange={(e) =>
              update({
                ...state,
                signature: { ...state.signature, date: e.currentTarget.value },
              })
            }
            w={200}
          />
        </Stack>
      </Fieldset>
    </Stack>
  );
}
