import { Alert, Button, Checkbox, Fieldset, Group, List, NativeSelect, NumberInput, Radio, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, Link, useNavigation } from "react-router";
import type { BusinessCalendar } from "~/engine/calendar";
import { CsrfInput } from "~/components/csrf-input";
import { useOrgFormat } from "~/components/org-format";
import { classifyChange, currentTerm, reviewReminderDate, type AgreementContent, type LadderLevel, type Party, type Side } from "../agreement";
import { changeLabel, hoursOf, minutesOf, normaliseContent, noon, ordinal, sides } from "./labels";
import { ListEditor } from "./list-editor";

// The agreement's form in the template's order (guide 004, chapter 5): 1.1 introduction, 1.2
// objectives, 1.3 parties, 1.4 term, 1.5 review, 1.6 cancellation, 1.7 monitors, 1.8 both
// sides' escalation ladders, 2.1/2.2 roles and responsibilities, 2.3 reply times. Kept as
// state in the browser and posted as JSON in one hidden field; the server validates it with
// agreementContentSchema and answers field by field (errors keyed by the dotted path).
//
// Editing a signed agreement: classifyChange (pure) runs here as a preview of what saving will
// do — a minor change (unit name, title, email) is recorded without a new version, anything
// else drafts the next version and needs a change note. The server decides again.

/** The template's numbered subsections (1.1 …) look alike, whether a legend or a heading. */
const SUBSECTION = { legend: { fontWeight: 700, fontSize: "var(--mantine-font-size-sm)" } };

/** English fields inside the RTL page: left to right. */
const LTR = { dir: "ltr", lang: "en", styles: { input: { textAlign: "left" as const } } };

export interface AgreementFormProps {
  initial: AgreementContent;
  /** The version in force, when there is one: the edit is compared with it. */
  signed: { version: number; content: AgreementContent } | null;
  /** The version a major change drafts (the pending draft's number, or signed + 1). */
  nextVersion: number;
  initialChangeNote: string;
  errors: Record<string, string>;
  message?: string | null;
  members: { value: string; label: string }[];
  calendar: BusinessCalendar | null;
  today: string;
  reviewLeadDays: number;
  rowVersion?: number;
  submitLabel: string;
  cancelTo: string;
}

export function AgreementForm(props: AgreementFormProps) {
  const { initial, signed, nextVersion, errors, message, members, calendar, today, reviewLeadDays, rowVersion, submitLabel, cancelTo } = props;
  const { t } = useTranslation("sla");
  const fmt = useOrgFormat();
  const busy = useNavigation().state === "submitting";
  const [content, setContent] = useState<AgreementContent>(initial);
  const [changeNote, setChangeNote] = useState(props.initialChangeNote);
  const update = (fn: (draft: AgreementContent) => void) =>
    setContent((c) => {
      const next = structuredClone(c);
      fn(next);
      return next;
    });
  const err = (path: string) => errors[path];
  const posted = useMemo(() => normaliseContent(content), [content]);
  const preview = useMemo(() => (signed ? classifyChange(signed.content, posted) : null), [signed, posted]);
  const reminder = useMemo(() => {
    try {
      return reviewReminderDate(currentTerm(content.term, today).end, reviewLeadDays, calendar);
    } catch {
      return null; // an unfinished date while typing
    }
  }, [content.term, today, reviewLeadDays, calendar]);
  const memberData = [{ value: "", label: t("form.noMember") }, ...members];
  const hoursInput = (label: string, minutes: number, set: (m: number) => void, error: string | undefined, props: Record<string, unknown> = {}) => (
    <NumberInput
      label={label}
      value={minutes > 0 ? hoursOf(minutes) : ""}
      onChange={(v) => set(typeof v === "number" ? minutesOf(v) : 0)}
      min={0}
      max={8784}
      decimalScale={2}
      error={error}
      {...props}
    />
  );

  const partyFields = (side: Side, section: "monitor" | "ladder") => {
    const party: Party = content[side];
    if (section === "monitor")
      return (
        <Fieldset legend={t("form.monitorOf", { side: t(`side.${side}`) })} key={`${side}-monitor`} data-testid={`monitor-${side}`}>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TextInput
              label={t("form.monitor.unit")}
              required
              value={party.monitor.unit}
              onChange={(e) => {
                const v = e.currentTarget.value;
                update((c) => {
                  c[side].monitor.unit = v;
                });
              }}
              error={err(`${side}.monitor.unit`)}
              maxLength={200}
            />
            <TextInput
              label={t("form.monitor.name")}
              value={party.monitor.name}
              onChange={(e) => {
                const v = e.currentTarget.value;
                update((c) => {
                  c[side].monitor.name = v;
                });
              }}
              error={err(`${side}.monitor.name`)}
              maxLength={200}
            />
            <TextInput
              label={t("form.monitor.title")}
              value={party.monitor.title}
              onChange={(e) => {
                const v = e.currentTarget.value;
                update((c) => {
                  c[side].monitor.title = v;
                });
              }}
              error={err(`${side}.monitor.title`)}
              maxLength={200}
            />
            <TextInput
              label={t("form.monitor.email")}
              type="email"
              value={party.monitor.email}
              onChange={(e) => {
                const v = e.currentTarget.value;
                update((c) => {
                  c[side].monitor.email = v;
                });
              }}
              error={err(`${side}.monitor.email`)}
              maxLength={200}
              {...LTR}
            />
            {side === content.ourSide ? (
              <NativeSelect
                label={t("form.monitor.member")}
                description={t("form.monitor.memberHelp")}
                data={memberData}
                value={party.monitor.userId ?? ""}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  update((c) => {
                    c[side].monitor.userId = v || null;
                  });
                }}
                error={err(`${side}.monitor.userId`)}
              />
            ) : null}
          </SimpleGrid>
        </Fieldset>
      );
    const setLevel = (i: number, fn: (l: LadderLevel) => void) => update((c) => fn(c[side].ladder[i]!));
    return (
      <Fieldset legend={t("form.ladderOf", { side: t(`side.${side}`) })} key={`${side}-ladder`} data-testid={`ladder-${side}`}>
        <Stack gap="sm">
          {party.ladder.map((level, i) => (
            <Fieldset key={i} legend={ordinal(i + 1, t)} variant="filled" data-testid={`ladder-${side}-${i + 1}`}>
              <SimpleGrid cols={{ base: 1, md: 3 }}>
                <TextInput
                  label={t("form.ladder.name")}
                  required
                  value={level.name}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setLevel(i, (l) => {
                      l.name = v;
                    });
                  }}
                  error={err(`${side}.ladder.${i}.name`)}
                  maxLength={200}
                />
                <TextInput
                  label={t("form.ladder.title")}
                  value={level.title}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setLevel(i, (l) => {
                      l.title = v;
                    });
                  }}
                  error={err(`${side}.ladder.${i}.title`)}
                  maxLength={200}
                />
                <TextInput
                  label={t("form.ladder.email")}
                  type="email"
                  value={level.email}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setLevel(i, (l) => {
                      l.email = v;
                    });
                  }}
                  error={err(`${side}.ladder.${i}.email`)}
                  maxLength={200}
                  {...LTR}
                />
                {hoursInput(
                  t("form.ladder.hours"),
                  level.maxResponseMinutes,
                  (m) =>
                    setLevel(i, (l) => {
                      l.maxResponseMinutes = m;
                    }),
                  err(`${side}.ladder.${i}.maxResponseMinutes`),
                  { required: true, description: t("form.ladder.hoursHelp") },
                )}
                <NativeSelect
                  label={t("form.ladder.member")}
                  data={memberData}
                  value={level.userId ?? ""}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setLevel(i, (l) => {
                      l.userId = v || null;
                    });
                  }}
                  error={err(`${side}.ladder.${i}.userId`)}
                />
              </SimpleGrid>
            </Fieldset>
          ))}
          {err(`${side}.ladder`) ? (
            <Text size="sm" c="red" role="alert">
              {err(`${side}.ladder`)}
            </Text>
          ) : null}
          <Group gap="xs">
            <Button
              variant="light"
              size="xs"
              disabled={party.ladder.length >= 8}
              onClick={() =>
                update((c) => {
                  const last = c[side].ladder[c[side].ladder.length - 1];
                  c[side].ladder.push({ name: "", title: "", email: "", maxResponseMinutes: last?.maxResponseMinutes ?? 480, userId: null });
                })
              }
            >
              {t("form.ladder.add")}
            </Button>
            <Button
              variant="subtle"
              color="red"
              size="xs"
              disabled={party.ladder.length <= 1}
              onClick={() =>
                update((c) => {
                  c[side].ladder.pop();
                })
              }
            >
              {t("form.ladder.removeLast")}
            </Button>
          </Group>
        </Stack>
      </Fieldset>
    );
  };

  return (
    <Form method="post" noValidate>
      <CsrfInput />
      {rowVersion !== undefined ? <input type="hidden" name="rowVersion" value={rowVersion} /> : null}
      <input type="hidden" name="content" value={JSON.stringify(posted)} />
      <Stack gap="lg">
        {message ? (
          <Alert color="red" role="alert" data-testid="form-message">
            {message}
          </Alert>
        ) : null}

        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextInput
            label={t("form.nameAr")}
            required
            value={content.nameAr}
            onChange={(e) => {
              const v = e.currentTarget.value;
              update((c) => {
                c.nameAr = v;
              });
            }}
            error={err("nameAr")}
            maxLength={200}
          />
          <TextInput
            label={t("form.nameEn")}
            value={content.nameEn}
            onChange={(e) => {
              const v = e.currentTarget.value;
              update((c) => {
                c.nameEn = v;
              });
            }}
            error={err("nameEn")}
            maxLength={200}
            {...LTR}
          />
        </SimpleGrid>

        <Fieldset legend={t("sections.s1")}>
          <Stack gap="md">
            <Textarea
              label={t("sections.s11")}
              styles={{ label: { fontWeight: 700 } }}
              description={t("form.introductionHelp")}
              value={content.introduction}
              onChange={(e) => {
                const v = e.currentTarget.value;
                update((c) => {
                  c.introduction = v;
                });
              }}
              error={err("introduction")}
              autosize
              minRows={3}
              maxLength={8000}
            />

            <Stack gap={4}>
              <Text fw={700} size="sm" component="h3" m={0}>
                {t("sections.s12")}
              </Text>
              <ListEditor
                id="objectives"
                items={content.objectives}
                onChange={(items) =>
                  update((c) => {
                    c.objectives = items;
                  })
                }
                itemLabel={(i) => t("form.objective", { n: fmt.number(i + 1) })}
                addLabel={t("form.addObjective")}
                itemError={(i) => err(`objectives.${i}`)}
                listError={err("objectives")}
                max={30}
              />
            </Stack>

            <Fieldset legend={t("sections.s13")} variant="unstyled" styles={SUBSECTION}>
              <Stack gap="sm">
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  {sides.map((side) => (
                    <TextInput
                      key={side}
                      label={t(`form.entity.${side}`)}
                      description={t(`form.entityHelp.${side}`)}
                      required
                      value={content[side].entity}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        update((c) => {
                          c[side].entity = v;
                        });
                      }}
                      error={err(`${side}.entity`)}
                      maxLength={200}
                    />
                  ))}
                </SimpleGrid>
                <Radio.Group
                  label={t("form.ourSide")}
                  value={content.ourSide}
                  onChange={(v) =>
                    update((c) => {
                      c.ourSide = v === "recipient" ? "recipient" : "provider";
                    })
                  }
                  error={err("ourSide")}
                >
                  <Group mt={6}>
                    {sides.map((side) => (
                      <Radio key={side} value={side} label={t(`form.weAre.${side}`)} />
                    ))}
                  </Group>
                </Radio.Group>
              </Stack>
            </Fieldset>

            <Fieldset legend={t("sections.s14")} variant="unstyled" styles={SUBSECTION}>
              <SimpleGrid cols={{ base: 1, md: 3 }}>
                <TextInput
                  label={t("form.startDate")}
                  description={t("form.startDateHelp")}
                  type="date"
                  required
                  value={content.term.startDate}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    update((c) => {
                      c.term.startDate = v;
                    });
                  }}
                  error={err("term.startDate")}
                />
                <NumberInput
                  label={t("form.months")}
                  required
                  value={content.term.months || ""}
                  onChange={(v) =>
                    update((c) => {
                      c.term.months = typeof v === "number" ? v : 0;
                    })
                  }
                  min={1}
                  max={120}
                  allowDecimal={false}
                  error={err("term.months")}
                />
                <Checkbox
                  mt={{ md: 32 }}
                  label={t("form.autoRenew")}
                  checked={content.term.autoRenew}
                  onChange={(e) => {
                    const v = e.currentTarget.checked;
                    update((c) => {
                      c.term.autoRenew = v;
                    });
                  }}
                  error={err("term.autoRenew")}
                />
              </SimpleGrid>
            </Fieldset>

            <Fieldset legend={t("sections.s15")} variant="unstyled" styles={SUBSECTION}>
              <Stack gap="sm">
                <Text size="sm" data-testid="review-reminder">
                  {reminder ? t("form.reviewReminder", { date: fmt.date(noon(reminder)) }) : t("form.reviewReminderUnknown")}
                </Text>
                <List size="sm" c="dimmed">
                  {["1", "2", "3"].map((k) => (
                    <List.Item key={k}>{t(`doc.review.${k}`)}</List.Item>
                  ))}
                </List>
                <Textarea
                  label={t("form.majorChangesNote")}
                  description={t("form.majorChangesNoteHelp")}
                  value={content.majorChangesNote}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    update((c) => {
                      c.majorChangesNote = v;
                    });
                  }}
                  error={err("majorChangesNote")}
                  autosize
                  minRows={2}
                  maxLength={4000}
                />
              </Stack>
            </Fieldset>

            <Fieldset legend={t("sections.s16")} variant="unstyled" styles={SUBSECTION}>
              <List size="sm" c="dimmed">
                {["1", "2", "3"].map((k) => (
                  <List.Item key={k}>{t(`doc.cancel.${k}`)}</List.Item>
                ))}
              </List>
            </Fieldset>

            <Stack gap="sm">
              <Text fw={700} size="sm" component="h3" m={0}>
                {t("sections.s17")}
              </Text>
              <Text size="sm" c="dimmed">
                {t("form.monitorsHelp")}
              </Text>
              {sides.map((side) => partyFields(side, "monitor"))}
            </Stack>

            <Stack gap="sm">
              <Text fw={700} size="sm" component="h3" m={0}>
                {t("sections.s18")}
              </Text>
              <Text size="sm" c="dimmed">
                {t("form.laddersHelp")}
              </Text>
              {sides.map((side) => partyFields(side, "ladder"))}
            </Stack>
          </Stack>
        </Fieldset>

        <Fieldset legend={t("sections.s2")}>
          <Stack gap="md">
            {sides.map((side) => (
              <Stack gap={4} key={side}>
                <Text fw={700} size="sm" component="h3" m={0}>
                  {t(side === "provider" ? "sections.s21" : "sections.s22")}
                </Text>
                <ListEditor
                  id={`responsibilities-${side}`}
                  items={content[side].responsibilities}
                  onChange={(items) =>
                    update((c) => {
                      c[side].responsibilities = items;
                    })
                  }
                  itemLabel={(i) => t("form.responsibility", { side: t(`side.${side}`), n: fmt.number(i + 1) })}
                  addLabel={t("form.addResponsibility")}
                  itemError={(i) => err(`${side}.responsibilities.${i}`)}
                  listError={err(`${side}.responsibilities`)}
                  max={50}
                />
              </Stack>
            ))}
            <Fieldset legend={t("sections.s23")} variant="unstyled" styles={SUBSECTION}>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                {hoursInput(
                  t("form.emailHours"),
                  content.responseTimes.emailMinutes,
                  (m) =>
                    update((c) => {
                      c.responseTimes.emailMinutes = m;
                    }),
                  err("responseTimes.emailMinutes"),
                  { required: true, description: t("form.workingHoursHelp") },
                )}
                {hoursInput(
                  t("form.letterHours"),
                  content.responseTimes.letterMinutes,
                  (m) =>
                    update((c) => {
                      c.responseTimes.letterMinutes = m;
                    }),
                  err("responseTimes.letterMinutes"),
                  { required: true, description: t("form.workingHoursHelp") },
                )}
              </SimpleGrid>
            </Fieldset>
          </Stack>
        </Fieldset>

        {signed && preview ? (
          <Alert
            color={preview.kind === "major" ? "orange" : preview.kind === "minor" ? "blue" : "gray"}
            data-testid="change-preview"
            data-kind={preview.kind}
            title={t(`preview.${preview.kind}Title`)}
          >
            <Stack gap="xs">
              <Text size="sm">{t(`preview.${preview.kind}`, { version: fmt.number(signed.version), next: fmt.number(nextVersion) })}</Text>
              {preview.changes.length ? (
                <List size="sm">
                  {[...new Set(preview.changes.map((c) => `${c.kind === "minor" ? t("preview.minorMark") : t("preview.majorMark")} ${changeLabel(c, t)}`))].map((line) => (
                    <List.Item key={line}>{line}</List.Item>
                  ))}
                </List>
              ) : null}
            </Stack>
          </Alert>
        ) : null}
        {signed && preview?.kind === "major" ? (
          <Textarea
            name="changeNote"
            label={t("form.changeNote")}
            description={t("form.changeNoteHelp")}
            required
            value={changeNote}
            onChange={(e) => setChangeNote(e.currentTarget.value)}
            error={err("changeNote")}
            autosize
            minRows={2}
            maxLength={4000}
          />
        ) : (
          <input type="hidden" name="changeNote" value={changeNote} />
        )}

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
