import { Hono } from "hono";
import type { AppEnv } from "../types";

/**
 * Interactive API docs that work offline: Swagger UI's files are bundled into the web build
 * (apps/web copies them to /docs-assets), so this page loads nothing from another host, which
 * also lets the strict same-origin CSP stand.
 */
const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Marquee API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/docs-assets/docs-init.js"></script>
</body>
</html>`;

export const docsRoutes = new Hono<AppEnv>().get("/api/docs", (c) => c.html(DOCS_HTML));
