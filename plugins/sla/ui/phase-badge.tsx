import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { AgreementPhase } from "../agreement";

const COLORS: Record<AgreementPhase, string> = { draft: "gray", active: "teal", cancelling: "orange", cancelled: "red", expired: "gray" };

/** An agreement's phase: draft (never signed), in force, cancellation pending, cancelled, expired. */
export function PhaseBadge({ phase, testId = "agreement-phase" }: { phase: AgreementPhase; testId?: string }) {
  const { t } = useTranslation("sla");
  return (
    // The label never shrinks to an ellipsis ("سا..." in a narrow table column): it is the whole point of the cell.
    <Badge color={COLORS[phase]} variant="light" data-testid={testId} data-phase={phase} styles={{ root: { flexShrink: 0, overflow: "visible" }, label: { overflow: "visible" } }}>
      {t(`phase.${phase}`)}
    </Badge>
  );
}
