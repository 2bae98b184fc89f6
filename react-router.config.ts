import type { Config } from "@react-router/dev/config";

// Framework mode stands where remix.config.js stood (ADR 001).
export default {
  ssr: true,
  future: { v8_middleware: true },
} satisfies Config;
