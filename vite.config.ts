import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// The server build's entry is our own Express app (server/app.ts), so that the
// database pool, plugin registry and request handler live in one module graph.
export default defineConfig(({ isSsrBuild }) => ({
  build: {
    rollupOptions: isSsrBuild ? { input: "./server/app.ts" } : undefined,
  },
  // @rjsf/mantine imports "dayjs/plugin/…" without an extension, which Node's ESM loader
  // refuses; bundled into the server build, Vite resolves it.
  ssr: { noExternal: ["@rjsf/mantine"] },
  plugins: [reactRouter(), tsconfigPaths()],
}));
