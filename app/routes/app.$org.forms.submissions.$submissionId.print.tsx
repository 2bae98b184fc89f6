import "~/components/form-renderer/print.css";
import { Box, Button, Divider, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/app.$org.forms.submissions.$submissionId.print";
import { useOrgFormat } from "~/components/org-format";
import { SubmissionView } from "~/components/form-renderer/submission-view";
import { RouteErrorPage } from "~/components/route-error";
import { getInstance } from "~/middleware/i18next";
import { describeFiles, fileIdsIn, getSubmissionView, mayViewSubmission } from "~/models/form-fill.server";
import { appDb, withTenant } from "~/utils/db.server";
import { notFound, requireOrgMember } from "~/utils/org-context.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: data?.title ?? "Masar" }];

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  const found = await withTenant(appDb(), ctx.scope, async (trx) => {
    const row = await getSubmissionView(trx, ctx.org.id, args.params.submissionId);
    // Someone else's submission looks the same as a missing one.
    if (!row || !mayViewSubmission(ctx.ability, ctx.user.id, row)) return null;
    const attachedTo = row.context === "standalone" ? `submission:${row.id}` : row.context;
    const files = await describeFiles(trx, ctx.org.id, fileIdsIn(row.data), { attachedTo, uploadedBy: row.submitted_by });
    return { row, files };
  });
  if (!found) notFound();
  const { row, files } = found;
  const t = getInstance(args.context).getFixedT(null, "forms");
  const name = ctx.locale === "en" ? row.name_en : row.name_ar;
  return {
    title: `${name} — ${t("fill.print.title")}`,
    org: { name_ar: ctx.org.name_ar, name_en: ctx.org.name_en, slug: ctx.org.slug },
    submission: {
      id: row.id,
      data: row.data as Record<string, unknown>,
      submittedAt: row.submitted_at.toISOString(),
      submittedBy: row.submitter_name ?? row.submitter_email ?? "",
    },
    form: { key: row.key, name_ar: row.name_ar, name_en: row.name_en, version: row.version },
    version: { id: row.version_id, schema: row.schema, uiSchema: row.ui_schema, translations: row.translations as Record<"ar" | "en", Record<string, string>> },
    files,
  };
}

export default function PrintSubmission({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation("forms");
  const fmt = useOrgFormat();
  const locale = i18n.language === "en" ? "en" : "ar";
  const { org, form, submission, version, files } = loaderData;
  const pick = (o: { name_ar: string; name_en: string }) => (locale === "en" ? o.name_en : o.name_ar);
  return (
    <Stack gap="md" maw={820} mx="auto" w="100%" className="masar-print-page">
      <Group justify="space-between" className="masar-no-print">
        <Button component={Link} to={`/app/${org.slug}/forms`} variant="subtle">
          {t("fill.print.back")}
        </Button>
        <Button onClick={() => window.print()} data-testid="print-button">
          {t("fill.print.print")}
        </Button>
      </Group>
      <Box component="header">
        <Text fw={700} c="teal.8">
          {pick(org)}
        </Text>
        <Title order={1} mt={4}>
          {pick(form)}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4} mt="sm">
          <Text size="sm">
            {t("fill.print.version")}: <bdi>{fmt.number(form.version ?? 0)}</bdi>
          </Text>
          <Text size="sm">
            {t("fill.print.reference")}: <bdi dir="ltr" data-testid="submission-id">{submission.id}</bdi>
          </Text>
          <Text size="sm">
            {t("fill.print.submittedBy")}: <bdi>{submission.submittedBy}</bdi>
          </Text>
          <Text size="sm">
            {t("fill.print.submittedAt")}: <bdi>{fmt.dateTime(submission.submittedAt)}</bdi>
          </Text>
        </SimpleGrid>
      </Box>
      <Divider />
      <SubmissionView version={version} locale={locale} data={submission.data} files={files} />
    </Stack>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteErrorPage error={error} />;
}
