import { useEffect, useRef, type Dispatch } from "react";
import type { EditorAction } from "~/designer/store";

// Keyboard shortcuts of the designer (listed in the help popover, shortcuts-help.tsx). They
// act only when the keyboard is not in a text field, a menu or a dialog, so typing a name or
// a condition never deletes a step. Arrow keys on a focused node are React Flow's own (they
// arrive as position changes and are coalesced the same way).

export const NUDGE = 10;
export const NUDGE_FAR = 50;

interface Options {
  dispatch: Dispatch<EditorAction>;
  readOnly: boolean;
  /** Open the delete confirmation (only when something is selected). */
  onDelete: () => void;
  onFit: () => void;
  /** A dialog is open: leave the keyboard to it. */
  paused: boolean;
  hasSelection: boolean;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest("input, textarea, select, [role='listbox'], [role='menu'], [role='dialog']")) return true;
  return false;
}

export function useShortcuts(options: Options) {
  const opts = useRef(options);
  opts.current = options;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { dispatch: d, readOnly: ro, onDelete: del, onFit: fit, paused: p, hasSelection } = opts.current;
      if (p || e.defaultPrevented || isTyping(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      // By physical key (e.code): with an Arabic keyboard layout e.key is an Arabic letter.
      const key = e.code.startsWith("Key") ? e.code.slice(3).toLowerCase() : e.code;
      const act = (a: EditorAction | (() => void)) => {
        e.preventDefault();
        if (typeof a === "function") a();
        else d(a);
      };
      if (mod && key === "a") return act({ type: "selectAll" });
      if (mod && key === "c") return act({ type: "copy" });
      if (e.key === "Escape") return d({ type: "select", nodes: [], edges: [] });
      if (!mod && e.shiftKey && key === "Digit1") return act(fit);
      if (ro) return;
      if (mod && key === "z") return act({ type: e.shiftKey ? "redo" : "undo" });
      if (mod && key === "y") return act({ type: "redo" });
      if (mod && key === "x") return act({ type: "cut" });
      if (mod && key === "v") return act({ type: "paste" });
      if (!hasSelection) return;
      if (e.key === "Delete" || e.key === "Backspace") return act(del);
      const arrows: Record<string, [number, number]> = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
      const dir = arrows[e.key];
      // A focused node moves with React Flow's own arrow handling.
      if (dir && !mod && !(e.target instanceof HTMLElement && e.target.closest(".react-flow__node"))) {
        const step = e.shiftKey ? NUDGE_FAR : NUDGE;
        return act({ type: "nudge", dx: dir[0] * step, dy: dir[1] * step });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
