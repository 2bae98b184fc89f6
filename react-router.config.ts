import type { Config } from "@react-router/dev/config";

// Framework mode stands where remix.config.js stood (ADR 001).
export default {
  ssr: true,
  // MASAR_BUILD_DIR lets parallel checkouts or test runs build without clobbering build/.
  buildDirectory: process.env.MASAR_BUILD_DIR ?? "build",
  future: { v8_middleware: true },
} satisfies Config;
