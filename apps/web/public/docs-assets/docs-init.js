// Boots Swagger UI on /api/docs. Kept as a file (not an inline script) so the page works under a strict CSP.
window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
