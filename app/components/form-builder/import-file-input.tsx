import { FileInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

const MAX_BYTES = 512 * 1024;

/**
 * Optional JSON file to start the new form from (a JSON Schema, an rjsf playground sample
 * or an exported Masar form). Read in the browser and posted as text; the server parses it.
 */
export function ImportFileInput({ error }: { error?: string }) {
  const { t } = useTranslation("forms");
  const [text, setText] = useState("");
  const [name, setName] = useState("");
  const [local, setLocal] = useState<string | null>(null);
  return (
    <>
      <FileInput
        label={t("builder.list.fields.import")}
        description={t("builder.list.fields.importHelp")}
        accept="application/json,.json"
        clearable
        error={local ?? error}
        data-testid="import-file"
        onChange={async (file) => {
          setLocal(null);
          if (!file) {
            setText("");
            setName("");
            return;
          }
          if (file.size > MAX_BYTES) {
            setLocal(t("builder.list.errors.import.tooLarge"));
            return;
          }
          setName(file.name);
          setText(await file.text());
        }}
      />
      <input type="hidden" name="content" value={text} />
      <input type="hidden" name="filename" value={name} />
    </>
  );
}
