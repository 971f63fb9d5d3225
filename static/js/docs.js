// Starts the vendored Swagger UI on /docs. Kept out of the page so the CSP can forbid inline scripts.
const root = document.getElementById('swagger-ui');
window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: true,
});
