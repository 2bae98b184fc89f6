// The browser side of the precompiled validator (see app/forms/client-validator.server.ts):
// imports the version's generated module from the server, hands it the ajv runtime
// helpers it requires, and wraps it as an rjsf validator with ajv-i18n messages.
// Until it is loaded (and during server rendering) a validator that finds nothing stands
// in: validation in the browser is a convenience, the server decides.
import createPrecompiledValidator from "@rjsf/validator-ajv8/lib/createPrecompiledValidator.js";
import type { Localizer, ValidatorFunctions } from "@rjsf/validator-ajv8";
import type { RJSFSchema, ValidationData, ValidatorType } from "@rjsf/utils";
import equal from "ajv/dist/runtime/equal";
import ucs2length from "ajv/dist/runtime/ucs2length";
import { fullFormats } from "ajv-formats/dist/formats";
import localizeAr from "ajv-i18n/localize/ar";
import localizeEn from "ajv-i18n/localize/en";

// CommonJS interop differs between Vite's dev and build: accept the function or its module.
const fn = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T;

const RUNTIME: Record<string, unknown> = {
  "ajv/dist/runtime/equal": { default: fn(equal) },
  "ajv/dist/runtime/ucs2length": { default: fn(ucs2length) },
  "ajv-formats/dist/formats": { fullFormats },
};

function runtimeRequire(name: string): unknown {
  const found = RUNTIME[name];
  if (!found) throw new Error(`validator needs ${name}`);
  return found;
}

export const localizers: Record<"ar" | "en", Localizer> = {
  ar: fn<Localizer>(localizeAr),
  en: fn<Localizer>(localizeEn),
};

type Factory = ((require: (name: string) => unknown) => ValidatorFunctions) | null;

/** Loads the precompiled functions for a version and language; null when unavailable. */
export async function loadValidatorFunctions(url: string): Promise<ValidatorFunctions | null> {
  try {
    const module = (await import(/* @vite-ignore */ url)) as { default: Factory };
    return module.default ? module.default(runtimeRequire) : null;
  } catch {
    return null;
  }
}

const NO_ERRORS = { errors: [], errorSchema: {} } as ValidationData<unknown>;

/**
 * An rjsf validator that never throws: rjsf asks it about sub-schemas while rendering, and
 * a missing precompiled function must not take the form down (it then answers "not valid").
 */
export class MasarValidator implements ValidatorType<unknown, RJSFSchema> {
  private readonly inner: ValidatorType<unknown, RJSFSchema> | null;

  constructor(functions: ValidatorFunctions | null, rootSchema: RJSFSchema, locale: "ar" | "en") {
    let inner: ValidatorType<unknown, RJSFSchema> | null = null;
    if (functions) {
      try {
        inner = createPrecompiledValidator(functions, rootSchema, localizers[locale]) as ValidatorType<unknown, RJSFSchema>;
      } catch {
        inner = null;
      }
    }
    this.inner = inner;
  }

  get ready(): boolean {
    return this.inner !== null;
  }

  validateFormData(...args: Parameters<ValidatorType<unknown, RJSFSchema>["validateFormData"]>): ValidationData<unknown> {
    if (!this.inner) return NO_ERRORS;
    try {
      return this.inner.validateFormData(...args);
    } catch {
      return NO_ERRORS;
    }
  }

  isValid(schema: RJSFSchema, formData: unknown, rootSchema: RJSFSchema): boolean {
    if (!this.inner) return false;
    try {
      return this.inner.isValid(schema, formData, rootSchema);
    } catch {
      return false;
    }
  }

  rawValidation<Result = unknown>(schema: RJSFSchema, formData?: unknown): { errors?: Result[]; validationError?: Error } {
    if (!this.inner) return {};
    try {
      return this.inner.rawValidation<Result>(schema, formData);
    } catch (error) {
      return { validationError: error as Error };
    }
  }
}
