import type { Registry } from "@rjsf/utils";
import { isHiddenPath, type InstancePath } from "./visibility";

/** What a stored file id stands for (POST /app/:org/files answers with this). */
export interface FileInfo {
  id: string;
  filename: string;
  size: number;
  contentType?: string;
}

/** Shared with widgets and templates through rjsf's formContext. */
export interface RendererContext {
  /**
   * Path keys of fields hidden by their conditions. Data, not a function: rjsf re-renders
   * fields when the context changes by deep comparison, which ignores functions.
   */
  hidden: Set<string>;
  locale: "ar" | "en";
  /** Organisation slug: uploads go to /app/:org/files. */
  orgSlug: string;
  files: Record<string, FileInfo>;
  rememberFile: (info: FileInfo) => void;
}

export function rendererContext(registry: Registry): RendererContext {
  return registry.formContext as RendererContext;
}

export function isHiddenIn(ctx: RendererContext, path: InstancePath): boolean {
  return isHiddenPath(ctx.hidden, path);
}
