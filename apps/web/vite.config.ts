import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const require = createRequire(import.meta.url);

/**
 * Copies Swagger UI from the swagger-ui-dist package into dist/docs-assets/, next to
 * public/docs-assets/docs-init.js. The edge's GET /api/docs page loads only these local files (no CDN).
 */
function swaggerUiAssets(): Plugin {
  const files = ["swagger-ui.css", "swagger-ui-bundle.js"];
  return {
    name: "marquee:swagger-ui-assets",
    apply: "build",
    generateBundle() {
      for (const name of files) {
        const source = readFileSync(require.resolve(`swagger-ui-dist/${name}`), "utf8")
          // The .map files aren't shipped, so drop the references to them.
          .replace(/\n\/[/*]# sourceMappingURL=.*$/m, "\n");
        this.emitFile({ type: "asset", fileName: `docs-assets/${name}`, source });
      }
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), swaggerUiAssets()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // React DOM in a chunk of its own, so public/boot.js evaluates it in a task apart from the
        // app's own code (the entry was one 250 kB chunk, one long task; Total Blocking Time).
        manualChunks(id: string) {
          if (/node_modules\/(react-dom|scheduler)\/|\/src\/reactDom\.ts$/.test(id)) return "react-dom";
          return undefined;
        },
      },
    },
  },
  // Only for `vite` (dev server on :5173): forward API calls to the local edge from `bun run dev`.
  server: {
    proxy: Object.fromEntries(
      ["/api", "/media", "/healthz", "/dev", "/embed"].map((p) => [p, "http://127.0.0.1:8787"]),
    ),
  },
});
