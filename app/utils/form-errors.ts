import type { z } from "zod";

/**
 * Turns zod issues into one message per field. Schemas carry i18n keys as their error
 * messages, so the server answers in the user's language field by field.
 */
export function fieldErrorsFrom(error: z.ZodError, t: (key: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "_form");
    if (!out[field]) out[field] = t(issue.message.startsWith("errors.") ? issue.message : "errors.invalidValue");
  }
  return out;
}

/** Form fields as strings (absent → ""), the shape the schemas parse. */
export function formStrings<K extends string>(form: FormData, keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((k) => [k, String(form.get(k) ?? "")])) as Record<K, string>;
}
