import { Button, Menu, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { DefinitionGraph } from "~/engine/definition";
import { graphToSvg } from "~/designer/svg-export";

// Export of the diagram for the service guide: the SVG as graphToSvg draws it, or a PNG
// rasterised from that SVG on a canvas in the browser (twice the size, for print). Nothing
// goes to the server.

const PNG_SCALE = 2;
/** Browsers refuse canvases much larger than this on a side. */
const MAX_CANVAS = 16_000;

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the download a moment to start before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** SVG text → PNG blob, through an <img> and a canvas. */
export async function svgToPng(svg: string, scale = PNG_SCALE): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("svg_not_loaded"));
      img.src = url;
    });
    const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
    const w = Number(size?.[1] ?? img.naturalWidth);
    const h = Number(size?.[2] ?? img.naturalHeight);
    const s = Math.min(scale, MAX_CANVAS / Math.max(w, h, 1));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(w * s));
    canvas.height = Math.max(1, Math.round(h * s));
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no_canvas");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("png_failed"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function ExportMenu({ graph, fileName }: { graph: DefinitionGraph; fileName: string }) {
  const { t, i18n } = useTranslation("diagram");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const locale = i18n.language === "en" ? "en" : "ar";
  const svg = () => graphToSvg(graph, { locale, outcomeLabels: { go: t("outcome.go"), "no-go": t("outcome.no-go"), rework: t("outcome.rework") } });
  const base = fileName.replace(/\.(svg|png)$/i, "") || "diagram";

  const asSvg = () => {
    setError(null);
    download(new Blob([svg()], { type: "image/svg+xml;charset=utf-8" }), `${base}.svg`);
  };
  const asPng = async () => {
    setError(null);
    setBusy(true);
    try {
      download(await svgToPng(svg()), `${base}.png`);
    } catch {
      setError(t("export.failed"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" size="compact-sm" loading={busy} data-testid="export-menu">
            {t("export.button")}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t("export.label")}</Menu.Label>
          <Menu.Item onClick={asSvg} data-testid="export-svg">
            {t("export.svg")}
          </Menu.Item>
          <Menu.Item onClick={() => void asPng()} data-testid="export-png">
            {t("export.png")}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {error ? (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      ) : null}
    </>
  );
}
