import { createContext, useContext, useRef, useState, type DragEvent, type ReactNode } from "react";
import type { FieldTypeId } from "~/forms/model";

// HTML5 drag and drop (no library): the palette drags a new field type, the canvas drags
// an existing field. While dragging, the browser hides the data from drop targets, so the
// payload is also kept here for deciding where a drop is allowed.

export type DragPayload = { kind: "new"; type: FieldTypeId } | { kind: "move"; id: string; type: FieldTypeId };

const MIME = "application/x-masar-field";

interface DragState {
  /** For rendering (drop zones appear while dragging). */
  payload: DragPayload | null;
  /** For event handlers: set at dragstart, before React has re-rendered. */
  current: () => DragPayload | null;
  start: (e: DragEvent, payload: DragPayload) => void;
  end: () => void;
  read: (e: DragEvent) => DragPayload | null;
}

const DragContext = createContext<DragState | null>(null);

export function DragProvider({ children }: { children: ReactNode }) {
  const [payload, setPayload] = useState<DragPayload | null>(null);
  const ref = useRef<DragPayload | null>(null);
  const state: DragState = {
    payload,
    current: () => ref.current,
    start: (e, p) => {
      e.dataTransfer.setData(MIME, JSON.stringify(p));
      e.dataTransfer.setData("text/plain", p.kind === "new" ? p.type : p.id);
      e.dataTransfer.effectAllowed = p.kind === "new" ? "copy" : "move";
      ref.current = p;
      setPayload(p);
    },
    end: () => {
      ref.current = null;
      setPayload(null);
    },
    read: (e) => {
      try {
        const raw = e.dataTransfer.getData(MIME);
        return raw ? (JSON.parse(raw) as DragPayload) : ref.current;
      } catch {
        return ref.current;
      }
    },
  };
  return <DragContext.Provider value={state}>{children}</DragContext.Provider>;
}

export function useDrag(): DragState {
  const ctx = useContext(DragContext);
  if (!ctx) throw new Error("useDrag outside DragProvider");
  return ctx;
}
