import { ScrollArea, Stack, Text, Title, Tooltip, UnstyledButton } from "@mantine/core";
import { memo } from "react";
import { useTranslation } from "react-i18next";
import type { NodeKind } from "~/engine/definition";

// The palette: every node kind of the engine (and the organisation's plugin kinds), drawn
// with its canvas shape. An entry can be dragged onto the canvas (it lands where it is
// dropped, in the lane under it) or activated with a click / Enter / Space (it lands in the
// middle of the visible canvas). It sits at the reading start (right in Arabic).

export const PALETTE_MIME = "application/x-masar-node";

export interface PaletteItem {
  id: string;
  kind: NodeKind;
  variant?: "document" | "split" | "join";
  label: string;
  help?: string;
  /** Why it cannot be added here (no role for a gate's approver, no other workflow to call). */
  disabledReason?: string;
  group: "events" | "steps" | "flow" | "plugins";
}

export function KindIcon({ kind, variant }: { kind: NodeKind; variant?: PaletteItem["variant"] }) {
  const p = { className: "masar-kind-icon__shape" };
  let shape;
  switch (kind) {
    case "start":
      shape = <circle {...p} cx={14} cy={11} r={8} strokeWidth={1.5} />;
      break;
    case "end":
      shape = <circle {...p} cx={14} cy={11} r={8} strokeWidth={3} />;
      break;
    case "timer":
      shape = (
        <g>
          <circle {...p} cx={14} cy={11} r={9} strokeWidth={1.5} />
          <path d="M14 6 V11 L17 13" className="masar-kind-icon__glyph" />
        </g>
      );
      break;
    case "decision":
    case "parallel":
      shape = (
        <g>
          <path {...p} d="M14 1 L25 11 L14 21 L3 11 Z" strokeWidth={1.5} />
          {kind === "parallel" ? <path d="M14 6 V16 M9 11 H19" className="masar-kind-icon__glyph" /> : null}
        </g>
      );
      break;
    case "gate":
      shape = <path {...p} d="M7 2 H21 L27 11 L21 20 H7 L1 11 Z" strokeWidth={1.5} />;
      break;
    case "subprocess":
      shape = (
        <g>
          <rect {...p} x={1} y={2} width={26} height={18} rx={3} strokeWidth={1.5} />
          <rect x={4} y={5} width={20} height={12} rx={2} className="masar-kind-icon__glyph" />
        </g>
      );
      break;
    case "action":
      shape = <rect {...p} x={1} y={2} width={26} height={18} rx={5} strokeWidth={1.5} strokeDasharray="3 2" />;
      break;
    default:
      shape =
        variant === "document" ? (
          <path {...p} d="M1 2 H27 V16 C20 12, 8 23, 1 17 Z" strokeWidth={1.5} />
        ) : (
          <rect {...p} x={1} y={2} width={26} height={18} rx={4} strokeWidth={1.5} />
        );
  }
  return (
    <svg width={28} height={22} viewBox="0 0 28 22" aria-hidden="true" className={`masar-kind-icon masar-kind-icon--${kind}`}>
      {shape}
    </svg>
  );
}

export const Palette = memo(function Palette({ items, onAdd }: { items: PaletteItem[]; onAdd: (entryId: string) => void }) {
  const { t } = useTranslation("designer");
  const groups = (["events", "steps", "flow", "plugins"] as const).map((g) => [g, items.filter((i) => i.group === g)] as const).filter(([, list]) => list.length);
  return (
    <nav className="masar-designer__palette" aria-label={t("palette.title")} data-testid="designer-palette">
      <ScrollArea h="100%" type="auto" offsetScrollbars>
        <Stack gap="xs" p="xs">
          <Text size="xs" c="dimmed">
            {t("palette.help")}
          </Text>
          {groups.map(([group, list]) => (
            <Stack key={group} gap={4} component="section" aria-labelledby={`palette-${group}`}>
              <Title order={2} size="xs" c="dimmed" id={`palette-${group}`} fw={700}>
                {t(`palette.groups.${group}`)}
              </Title>
              {list.map((item) => (
                <Tooltip key={item.id} label={item.disabledReason ?? item.help ?? item.label} multiline w={220} openDelay={400} disabled={!item.disabledReason && !item.help}>
                  <UnstyledButton
                    className="masar-palette__item"
                    draggable={!item.disabledReason}
                    data-disabled={item.disabledReason ? true : undefined}
                    aria-disabled={item.disabledReason ? true : undefined}
                    data-palette-entry={item.id}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(PALETTE_MIME, item.id);
                      e.dataTransfer.effectAllowed = "copy";
                    }}
                    onClick={() => (item.disabledReason ? undefined : onAdd(item.id))}
                    aria-label={t("palette.add", { name: item.label })}
                  >
                    <KindIcon kind={item.kind} variant={item.variant} />
                    <Text size="sm" span lineClamp={2}>
                      {item.label}
                    </Text>
                  </UnstyledButton>
                </Tooltip>
              ))}
            </Stack>
          ))}
        </Stack>
      </ScrollArea>
    </nav>
  );
});
