import { Alert, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/app.$org.forms.submissions.$submissionId.done";
import { useOrgFormat } from "~/components/org-format";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { getSubmissionView, mayViewSubmission } from "~/models/form-fill.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";

// Where a successful submit lands: the reference to quote, and the way to the print view.
export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  const row = await withTenant(appDb(), ctx.scope, (trx) => getSubmissionView(trx, ctx.org.id, args.params.submissionId));
  if (!row || !mayViewSubmission(ctx.ability, ctx.user.id, row)) notFound();
  const t = getInstance(args.context).getFixedT(null, "forms");
  return {
    title: `${t("fill.done.title")} — ${t("common:appName")}`,
    submission: { id: row.id, submittedAt: row.submitted_at.toISOString() },
    form: { key: row.key, name_ar: row.name_ar, name_en: row.name_en },
  };
}

export default function SubmissionDone({ loaderData, params }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("forms");
  const fmt = useOrgFormat();
  const { submission, form } = loaderData;
  const base = `/app/${params.org}/forms`;
  return (
    <Stack gap="md" maw={720} mx="auto" w="100%">
      <Title order={1}>{t("fill.done.title")}</Title>
      <Alert color="teal" variant="light" role="status" data-testid="submission-done">
        {t("fill.done.body", { form: i18n.language === "en" ? form.name_en : form.name_ar, time: fmt.dateTime(submission.submittedAt) })}
      </Alert>
      <Paper withBorder p="md" radius="md">
        <Text size="sm" c="dimmed">
          {t("fill.done.reference")}
        </Text>
        <Text fw={700} dir="ltr" ta="start" style={{ overflowWrap: "anywhere" }} data-testid="submission-id">
          {submission.id}
        </Text>
      </Paper>
      <Group gap="sm">
        <Button component={Link} to={`${base}/submissions/${submission.id}/print`} data-testid="print-link">
          {t("fill.done.print")}
        </Button>
        <Button component={Link} to={`${base}/${form.key}/fill`} variant="default">
          {t("fill.done.again")}
        </Button>
        <Button component={Link} to={base} variant="subtle">
          {t("fill.done.list")}
        </Button>
      </Group>
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
