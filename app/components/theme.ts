import { createTheme } from "@mantine/core";

// System Arabic fonts first: nothing is fetched from outside (CSP and offline intranets).
export const theme = createTheme({
  primaryColor: "teal",
  fontFamily: "'Noto Sans Arabic', 'Noto Sans', 'Segoe UI', Tahoma, 'Geeza Pro', Arial, sans-serif",
  headings: { fontFamily: "'Noto Sans Arabic', 'Noto Sans', 'Segoe UI', Tahoma, Arial, sans-serif" },
  defaultRadius: "md",
});
