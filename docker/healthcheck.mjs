// Docker HEALTHCHECK of the groupcall images: GET /healthz (liveness) on the
// service's own HTTP listener. Kubernetes ignores HEALTHCHECK and uses the
// chart's probes; this is for `docker run`, compose and testcontainers.
const port = process.env.PORT || '8080';
const host =
  !process.env.HOST || ['0.0.0.0', '::'].includes(process.env.HOST) ? '127.0.0.1' : process.env.HOST;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2500) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
