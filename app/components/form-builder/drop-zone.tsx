import { Box } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { FieldNode } from "~/forms/model";
import { canContain } from "~/forms/model-ops";
import { useDrag, type DragPayload } from "./dnd";

/** A place between fields where a dragged field can land; only shown while dragging. */
export function DropZone({ parent, index, onDrop, empty }: { parent: FieldNode | null; index: number; onDrop: (p: DragPayload, parentId: string | null, index: number) => void; empty?: boolean }) {
  const { t } = useTranslation("forms");
  const drag = useDrag();
  const [over, setOver] = useState(false);
  const fits = (p: DragPayload | null) => !!p && canContain(parent, p.type) && !(p.kind === "move" && p.id === parent?.id);
  const allowed = fits(drag.payload);
  const active = allowed && over;
  if (!drag.payload && !empty) return null;
  return (
    <Box
      data-testid="drop-zone"
      onDragOver={(e) => {
        if (!fits(drag.current())) return;
        e.preventDefault();
        e.stopPropagation();
        e.dataTransfer.dropEffect = drag.payload?.kind === "new" ? "copy" : "move";
        if (!over) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setOver(false);
        const payload = drag.read(e);
        drag.end();
        if (payload && canContain(parent, payload.type)) onDrop(payload, parent?.id ?? null, index);
      }}
      style={{
        minHeight: empty ? 48 : drag.payload ? 14 : 0,
        borderRadius: 6,
        border: drag.payload && allowed ? `2px dashed var(--mantine-color-${active ? "teal-6" : "gray-4"})` : empty ? "2px dashed var(--mantine-color-gray-3)" : "none",
        background: active ? "var(--mantine-color-teal-0)" : undefined,
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        fontSize: "var(--mantine-font-size-xs)",
        color: "var(--mantine-color-gray-7)",
        transition: "min-height 80ms",
      }}
    >
      {empty ? t(parent?.type === "table" ? "builder.canvas.emptyTable" : parent ? "builder.canvas.emptySection" : "builder.canvas.emptyForm") : null}
    </Box>
  );
}
