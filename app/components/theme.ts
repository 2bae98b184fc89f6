import { createTheme, DEFAULT_THEME, type MantineColorsTuple } from "@mantine/core";

/** One of Mantine's palettes with some shades replaced. */
function palette(name: keyof typeof DEFAULT_THEME.colors, replace: Record<number, string>): MantineColorsTuple {
  return DEFAULT_THEME.colors[name]!.map((value, shade) => replace[shade] ?? value) as unknown as MantineColorsTuple;
}

// Contrast (WCAG 2.1 AA, 4.5:1 for normal text, checked by test/e2e/a11y.spec.ts): Mantine's
// defaults give 2.5:1 for white on teal 6 and 3.3:1 for "dimmed" grey. Filled, light and
// subtle variants use the primary shade, so it is 8, and shade 8 of each colour in use is
// dark enough on white, on striped rows and on its own 10% "light" background. Dimmed
// text is grey 6 and field errors are red 6 (--mantine-color-error): both darkened.
export const theme = createTheme({
  primaryColor: "teal",
  primaryShade: { light: 8, dark: 8 },
  colors: {
    teal: palette("teal", { 8: "#077656", 9: "#066b4f" }),
    red: palette("red", { 6: "#c92a2a", 7: "#bd2828", 8: "#b02525", 9: "#962020" }),
    orange: palette("orange", { 8: "#a8400c", 9: "#9a3b0b" }),
    yellow: palette("yellow", { 8: "#7f5300", 9: "#6b4600" }),
    gray: palette("gray", { 6: "#646b73" }),
  },
  // System Arabic fonts first: nothing is fetched from outside (CSP and offline intranets).
  fontFamily: "'Noto Sans Arabic', 'Noto Sans', 'Segoe UI', Tahoma, 'Geeza Pro', Arial, sans-serif",
  headings: { fontFamily: "'Noto Sans Arabic', 'Noto Sans', 'Segoe UI', Tahoma, Arial, sans-serif" },
  defaultRadius: "md",
  // People who ask their system for less motion get dialogs and menus without fades.
  respectReducedMotion: true,
});
