// The workspace's import boundaries (README, Layout). Run by `pnpm check:boundaries`
// (part of scripts/test): the two services never import each other, shared/ and
// client/ import no service, and nothing below the product imports standalone/.
// Paths as resolved (workspace packages resolve to their folders) and, for an
// import whose package is not a declared dependency, the bare name.
const services = '^(@groupcall/)?(control-plane|sfu-worker|standalone)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'sfu-worker-imports-control-plane',
      comment: 'The pod reaches the control plane over HTTP (ControlPlaneClient), never by import.',
      severity: 'error',
      from: { path: '^sfu-worker/' },
      to: { path: '^(@groupcall/)?control-plane(/|$)' },
    },
    {
      name: 'control-plane-imports-sfu-worker',
      comment: 'The control plane reaches pods through Redis and Socket.IO, never by import.',
      severity: 'error',
      from: { path: '^control-plane/' },
      to: { path: '^(@groupcall/)?sfu-worker(/|$)' },
    },
    {
      name: 'service-imports-standalone',
      comment: 'standalone/ composes the services; they do not depend on it.',
      severity: 'error',
      from: { path: '^(control-plane|sfu-worker)/' },
      to: { path: '^(@groupcall/)?standalone(/|$)' },
    },
    {
      name: 'shared-imports-a-service-or-test-code',
      comment: 'shared/ is what both services use; it imports only the client package (the protocol).',
      severity: 'error',
      from: { path: '^shared/src/' },
      to: { path: `${services}|^(@groupcall/)?testing(/|$)` },
    },
    {
      name: 'client-imports-the-workspace',
      comment: 'client/ is installed by apps: browser dependencies only.',
      severity: 'error',
      from: { path: '^client/src/' },
      to: { path: `${services}|^(@groupcall/)?(shared|testing)(/|$)` },
    },
    {
      name: 'testing-imports-a-service',
      comment: 'Test infrastructure starts services as processes or containers; it does not import them.',
      severity: 'error',
      from: { path: '^testing/' },
      to: { path: services },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['groupcall-source', 'import', 'types', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
