import { useCallback, useEffect, useReducer } from "react";
import type { BuilderModel } from "~/forms/model";

// The builder's state: the model, its undo/redo history (snapshots of the whole model —
// models are small and immutable, so a snapshot is cheap and always consistent) and the
// selected field. Typing in one input is one history step, not one per keystroke.

const HISTORY_LIMIT = 100;
const COALESCE_MS = 1200;

export interface BuilderState {
  model: BuilderModel;
  past: BuilderModel[];
  future: BuilderModel[];
  selectedId: string | null;
  /** Counts changes (edits, undo, redo); autosave watches it. */
  revision: number;
  lastEdit: { key: string; at: number } | null;
}

type Action =
  | { type: "edit"; fn: (m: BuilderModel) => BuilderModel; coalesce?: string; select?: string | null; now: number }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "select"; id: string | null };

function reducer(state: BuilderState, action: Action): BuilderState {
  switch (action.type) {
    case "edit": {
      const next = action.fn(state.model);
      const selectedId = action.select !== undefined ? action.select : state.selectedId;
      if (next === state.model) return selectedId === state.selectedId ? state : { ...state, selectedId };
      const merge = !!action.coalesce && state.lastEdit?.key === action.coalesce && action.now - state.lastEdit.at < COALESCE_MS;
      return {
        model: next,
        past: merge ? state.past : [...state.past, state.model].slice(-HISTORY_LIMIT),
        future: [],
        selectedId,
        revision: state.revision + 1,
        lastEdit: action.coalesce ? { key: action.coalesce, at: action.now } : null,
      };
    }
    case "undo": {
      const prev = state.past[state.past.length - 1];
      if (!prev) return state;
      return { ...state, model: prev, past: state.past.slice(0, -1), future: [state.model, ...state.future], revision: state.revision + 1, lastEdit: null };
    }
    case "redo": {
      const next = state.future[0];
      if (!next) return state;
      return { ...state, model: next, past: [...state.past, state.model], future: state.future.slice(1), revision: state.revision + 1, lastEdit: null };
    }
    case "select":
      return state.selectedId === action.id ? state : { ...state, selectedId: action.id };
  }
}

export function useBuilder(initial: BuilderModel) {
  const [state, dispatch] = useReducer(reducer, undefined, () => ({ model: initial, past: [], future: [], selectedId: null, revision: 0, lastEdit: null }));
  const edit = useCallback(
    (fn: (m: BuilderModel) => BuilderModel, options: { coalesce?: string; select?: string | null } = {}) => dispatch({ type: "edit", fn, now: Date.now(), ...options }),
    [],
  );
  const undo = useCallback(() => dispatch({ type: "undo" }), []);
  const redo = useCallback(() => dispatch({ type: "redo" }), []);
  const select = useCallback((id: string | null) => dispatch({ type: "select", id }), []);
  return { state, edit, undo, redo, select, canUndo: state.past.length > 0, canRedo: state.future.length > 0 };
}

/**
 * Ctrl/⌘+Z undoes, Ctrl/⌘+Shift+Z (or Ctrl+Y) redoes — except while typing in a text box,
 * where the browser's own undo of that box is what people expect.
 */
export function useUndoKeys(undo: () => void, redo: () => void, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key !== "z" && key !== "y") return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      e.preventDefault();
      if (key === "y" || e.shiftKey) redo();
      else undo();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo, enabled]);
}
