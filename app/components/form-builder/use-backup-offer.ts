import { useEffect, useState } from "react";
import { formToModel, modelToForm } from "~/forms/fields";
import { deepEqual } from "~/forms/json";
import type { BuilderModel, FormVersionJson } from "~/forms/model";
import { clearBackup, readBackup } from "./use-autosave";

type Backup = NonNullable<ReturnType<typeof readBackup>>;

/**
 * Work kept in this browser that the server never received (the tab was closed, the
 * network was down, the schema was refused): offered back when the builder opens.
 */
export function useBackupOffer(formId: string, loaded: FormVersionJson, restore: (model: BuilderModel) => void) {
  const [offer, setOffer] = useState<Backup | null>(null);
  useEffect(() => {
    const backup = readBackup(formId);
    if (!backup) return;
    let same = false;
    try {
      same = deepEqual(modelToForm(formToModel(loaded)), backup.content);
    } catch {
      same = false;
    }
    if (same) clearBackup(formId);
    else setOffer(backup);
    // Only when the builder opens: later backups are this session's own.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return {
    offer,
    restore: () => {
      if (!offer) return;
      try {
        restore(formToModel(offer.content));
      } finally {
        setOffer(null);
      }
    },
    discard: () => {
      clearBackup(formId);
      setOffer(null);
    },
  };
}
