import { useRootData } from "~/root";

/** The hidden field every mutating form carries (double-submit CSRF check). */
export function CsrfInput() {
  const root = useRootData();
  return <input type="hidden" name="_csrf" value={root?.csrf ?? ""} />;
}
