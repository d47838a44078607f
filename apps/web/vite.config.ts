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

/**
 * Starts every JavaScript chunk with V8's explicit compile hint (`//# allFunctionsCalledOnLoad`,
 * Chromium 136+): V8 then compiles the whole file while it streams it, on a background thread,
 * instead of compiling each function lazily on the main thread the first time it runs (React DOM's
 * renderer, the router, i18next: all of it runs during the page's start). Other engines read a
 * comment. See docs/web.md, "The build, for the watch page's start".
 */
function compileHints(): Plugin {
  return {
    name: "marquee:compile-hints",
    apply: "build",
    // After minification, which would drop the comment.
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle))
        if (file.type === "chunk") file.code = `//# allFunctionsCalledOnLoad\n${file.code}`;
    },
  };
}

/**
 * Preloads the Latin subset of the Inter font from the HTML's <head> (every page's text, English
 * and German, is in it). Found by the stylesheet only once its rules match text, the font arrived
 * after the first paint, and its decoding and the relayout of every line in the new font were two
 * tasks of 15–30 ms each in the middle of the page's start (Total Blocking Time); preloaded, it is
 * in before the first layout and the first paint is already in Inter (no swap, no reflow).
 */
function preloadFont(): Plugin {
  return {
    name: "marquee:preload-font",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const font = Object.values(ctx.bundle ?? {}).find(
          (file) =>
            file.type === "asset" &&
            file.originalFileNames.some((n) => n.endsWith("inter-latin-wght-normal.woff2")),
        );
        if (!font) throw new Error("the Latin Inter font is not in the build: nothing to preload");
        const attrs = {
          rel: "preload",
          as: "font",
          type: "font/woff2",
          href: `/${font.fileName}`,
          crossorigin: "",
        };
        return [{ tag: "link", attrs, injectTo: "head" }];
      },
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), swaggerUiAssets(), compileHints(), preloadFont()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // A lazy page's JavaScript is not preloaded by Vite's helper: for the watch page it made one
    // <link> per chunk (35) in one task, 57 of its 73 ms here (Total Blocking Time). The browser
    // fetches a page chunk's imports itself as it reads it; the HTML's own preloads stay (the edge
    // arms them, see public/boot.js), and so does the helper's loading of a page's CSS.
    modulePreload: {
      resolveDependencies: (_file, deps, { hostType }) => (hostType === "html" ? deps : []),
    },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // React DOM in a chunk of its own, so public/boot.js evaluates it in a task apart from
            // the app's own code (the entry was one 250 kB chunk, one long task; Total Blocking Time).
            {
              name: "react-dom",
              test: /node_modules\/(react-dom|scheduler)\/|\/src\/reactDom\.ts$/,
              priority: 30,
            },
            // Every icon in one chunk (10 kB gzipped): split by the pages that use them, the watch
            // page alone loaded seven icon chunks of a few hundred bytes, each a request and a task.
            { name: "icons", test: /node_modules\/lucide-react\//, priority: 20 },
          ],
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
